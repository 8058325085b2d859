// The simulator profile of this machine, built from measurements (calibrate.ts): the bundled
// Azure profile's document (read as data; prices and serverless plans are irrelevant to a machine
// and kept) with what a live cluster here really does put in, every figure sourced "measured":
//
//   compute.families.local / vmSizes.local-node   one node process = one core (an event loop),
//                                                 at the speed two busy processes really get now
//                                                 relative to workloads/pi/calibration.json (the
//                                                 work the simulator charges was timed here)
//   storage.tiers.local-disk                      a managed-disk tier whose write latency is the
//                                                 group-commit flush latency the live DARQs met,
//                                                 no IOPS or bandwidth cap
//   compute.runtimeStepCoreUs                     the runtime's own CPU per step (decode, append,
//                                                 commit, send) the live nodes spent beyond pi
//   compute.darqSpareOneEventLoop                 a node is one event loop: its DARQ's messages
//                                                 and flushes wait while a step computes
//   network.links.*                               one-way latency = measured loopback TCP plus
//                                                 the idle hop's residual: what a step's round
//                                                 trip between idle node processes takes here
//                                                 beyond what the model charges for it (wake-ups
//                                                 of sleeping processes and threads, the runtime's
//                                                 work on the hop's path), fitted at the smallest
//                                                 compute scale (calibrate-command.ts); a message
//                                                 on a hop is the one delay the model adds per hop
//   catalog                                       measured SQLite reads and writes

import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { LatencyUs } from "./calibrate.ts";

export type Measured = {
  /** Group-commit flushes as the DARQs of one idle chain met them (the tier's write latency). */
  readonly fsyncUs: LatencyUs;
  /** The same with every node busy (for reference: completions also waited for busy loops). */
  readonly fsyncBusyUs: LatencyUs;
  /** One append + fdatasync at a time, nothing else running: for reference. */
  readonly fsyncIsolatedUs: LatencyUs;
  readonly loopbackOneWayUs: LatencyUs;
  readonly catalogReadUs: LatencyUs;
  readonly catalogWriteUs: LatencyUs;
  /** The runtime's own CPU per step (decode, handler, append, commit, send) at a quiet core's speed. */
  readonly stepCoreUs: number;
  /** The share of a core one of two busy processes got (1: the machine had cores to spare). */
  readonly coreShare: number;
  /** Work per CPU-µs of a busy process relative to a quiet core (the rest of coreShare is scheduling). */
  readonly cpuSpeed: number;
  /** Wall time per step of one pi chain alone at the smallest compute scale, µs. */
  readonly idleHopUs: number;
  /** The idle hop minus the model's own idle hop without it (≥ 0), µs: added to the links' latency. */
  readonly hopResidualUs: number;
};

type Json = Record<string, any>;

export const calibratedProfileName = "local-calibrated";
export const calibratedTier = "local-disk";
export const calibratedVmSize = "local-node";

const baseProfilePath = fileURLToPath(new URL("../../sim/profiles/azure-2024.json", import.meta.url));

function figure(value: number, source: string, asOf: string): Json {
  return { value, source, asOf };
}

function estimate(value: number, reasoning: string, asOf: string): Json {
  return { value, source: `estimate: ${reasoning}`, asOf, estimate: true };
}

function lognormal(latency: LatencyUs, what: string, asOf: string): Json {
  const median = Math.max(1, latency.p50);
  const measuredBy = `measured by ssms cluster calibrate on this machine over ${latency.samples} ${what}`;
  // With a mean, the tail is fitted so the model's mean is the measured one (the mean, not a
  // rare stall, is what throughput feels): lognormal mean = median · e^(σ²/2), p99 = median · e^(2.326 σ).
  if (latency.mean !== undefined && latency.mean > median) {
    const sigma = Math.sqrt(2 * Math.log(latency.mean / median));
    const p99 = Math.round(median * Math.exp(2.326 * sigma));
    return {
      kind: "lognormal",
      medianUs: figure(median, `derived: ${measuredBy}, their median`, asOf),
      p99Us: figure(p99, `derived: ${measuredBy}, the 99th percentile of the lognormal with their median ${median} µs and mean ${latency.mean} µs (measured p99 ${latency.p99} µs)`, asOf),
    };
  }
  return {
    kind: "lognormal",
    medianUs: figure(median, `derived: ${measuredBy}, their median`, asOf),
    p99Us: figure(Math.max(median, latency.p99), `derived: ${measuredBy}, their 99th percentile`, asOf),
  };
}

/** The profile document of this machine (validated by the simulator when loaded). */
export function calibratedProfile(measured: Measured, asOf: string): Json {
  const profile = JSON.parse(readFileSync(baseProfilePath, "utf8")) as Json;
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  profile["name"] = calibratedProfileName;
  profile["region"] = "this machine";
  profile["asOf"] = asOf;
  profile["description"] = `This machine (${cpu}, ${cpus().length} cores) as a live cluster uses it: node processes of one core, fdatasync on the local disk, loopback TCP, SQLite catalog; measured by 'ssms cluster calibrate'. Prices are the base Azure profile's and mean nothing here.`;
  const compute = profile["compute"] as Json;
  compute["families"]["local"] = {
    description: "A node process of a live cluster on this machine: one event loop, so one core.",
    speedFactor: figure(measured.coreShare, "derived: measured by ssms cluster calibrate: the rate at which each of two busy processes computed pi (compute scale 100) on this machine, divided by the single-core rate in workloads/pi/calibration.json; below 1 when other work shares the cores", asOf),
  };
  compute["baselineFamily"] = "local";
  compute["runtimeStepCoreUs"] = figure(Math.max(0, measured.stepCoreUs), "derived: measured by ssms cluster calibrate: the live node processes' CPU time per committed pi-chain step (from /proc) minus the pi work, at a quiet core's speed", asOf);
  compute["darqSpareOneEventLoop"] = {
    value: true, source: "derived: a live node process runs its DARQ and its automata on one Node.js event loop (live/node), so its DARQ's messages and flush completions wait while a step computes", asOf,
  };
  compute["vmSizes"][calibratedVmSize] = {
    family: "local",
    vcpu: figure(1, "derived: a node process runs its automata on one event loop", asOf),
    memoryGib: estimate(1, "a node process's heap; memory is not what limits a calibration run", asOf),
    usdPerHour: estimate(0, "a process on an owned machine has no hourly price", asOf),
  };
  (profile["storage"] as Json)["tiers"][calibratedTier] = {
    kind: "managedDisk",
    description: "The local disk under a live cluster's file logs: append + fdatasync per group commit.",
    sizeGib: estimate(100, "size does not limit a calibration run", asOf),
    iopsMax: estimate(1_000_000, "no provisioned cap on a local disk; fdatasync latency is what limits it", asOf),
    throughputMBpsMax: estimate(1_000, "no provisioned cap on a local disk", asOf),
    usdPerMonth: estimate(0, "an owned disk has no monthly price", asOf),
    writeLatency: lognormal(measured.fsyncUs, "group-commit flushes (write + fdatasync) of two live DARQ nodes running one pi chain", asOf),
    readLatency: { kind: "constant", valueUs: estimate(5, "reads of recent log records come from the page cache", asOf) },
  };
  const links = (profile["network"] as Json)["links"] as Json;
  const residual = Math.max(0, Math.round(measured.hopResidualUs));
  const linkLatency = residual === 0 ? measured.loopbackOneWayUs : {
    p50: measured.loopbackOneWayUs.p50 + residual, p99: measured.loopbackOneWayUs.p99 + residual, samples: measured.loopbackOneWayUs.samples,
  };
  const linkWhat = residual === 0 ? "TransportTcp round trips on 127.0.0.1, halved"
    : `TransportTcp round trips on 127.0.0.1, halved, plus the idle hop's residual ${residual} µs (a pi-chain step alone took ${measured.idleHopUs} µs, ${residual} µs more than the model charged without it)`;
  for (const link of ["sameVm", "sameZone", "crossZone"]) links[link]["oneWayLatency"] = lognormal(linkLatency, linkWhat, asOf);
  const catalog = profile["catalog"] as Json;
  catalog["description"] = "The catalog in one SQLite file on this machine, opened by every node process.";
  catalog["readLatency"] = lognormal(measured.catalogReadUs, "SQLite catalog lookups", asOf);
  catalog["writeLatency"] = lognormal(measured.catalogWriteUs, "SQLite catalog writes (WAL, synchronous commit)", asOf);
  return profile;
}
