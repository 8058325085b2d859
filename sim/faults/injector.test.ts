// Tests of the FaultInjector on a toy cluster built from the real models (network, compute,
// storage): faults apply at their times in order, the recording equals what was applied, and
// the determinism claim of the fault machinery: generate → apply → record, then re-apply the
// recording with the same seed → the identical fingerprint (a different schedule → a different
// one, so the check can fail).

import test from "ava";
import { computeNodeFromProfile, type ComputeNode } from "../compute/compute-node.ts";
import { networkModelFromProfile } from "../network/network-model.ts";
import { Topology } from "../network/topology.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import { Simulator } from "../simulator.ts";
import type { LogDeviceTier } from "../storage/log-device-tier.ts";
import { logDeviceForTier } from "../storage/storage-factory.ts";
import { TransportSim } from "../transport-sim.ts";
import type { Random } from "../../engine/io/random.ts";
import type { Fault } from "./fault.ts";
import { faultSchedule } from "./fault-model.ts";
import { FaultInjector, type FaultTarget } from "./injector.ts";
import { parseFaultSchedule } from "./schedule.ts";

const azure = loadCloudProfile("azure-2024");
const second = 1_000_000;
const names = ["n0", "n1", "n2", "n3"];

/**
 * Four nodes pass tokens round a ring: each token costs 200 µs of compute and one flushed log
 * record per hop. A crash loses the node's tokens; a restart starts a new one.
 */
function toyCluster(seed: string) {
  const sim = new Simulator({ seed });
  const topology = new Topology();
  names.forEach((name, i) => {
    topology.hostAdd(name, { zone: `zone-${i % 2}`, vmSize: "Standard_D2s_v3" });
    topology.addressPlace(name, name);
  });
  const network = networkModelFromProfile(azure, { clock: sim.clock, random: sim.random.fork("network"), topology });
  const transport = new TransportSim(sim.queue, network);
  const computes = new Map<string, ComputeNode>();
  const devices = new Map<string, LogDeviceTier>();
  const listen = (name: string, index: number): void => {
    transport.listen(name, (_from, message) => {
      sim.fingerprintMixString(`${name}<${String(message)}`);
      devices.get(name)!.append(new Uint8Array(64));
      devices.get(name)!.flush(() => {
        computes.get(name)!.submit(200, () => transport.send(name, names[(index + 1) % names.length]!, message, 256));
      });
    });
  };
  names.forEach((name, i) => {
    const compute = computeNodeFromProfile(azure, "Standard_D2s_v3", { clock: sim.clock, nodeId: name, spot: name === "n3" });
    compute.start();
    computes.set(name, compute);
    devices.set(name, logDeviceForTier(azure, { clock: sim.clock, random: sim.random.fork(`storage/${name}`), storageId: name, tierName: "premium-ssd-p10" }));
    listen(name, i);
    transport.send(name, name, `token-${name}`, 256);
  });
  let tokens = 0;
  const down = (name: string, torn: boolean): void => {
    computes.get(name)!.crash();
    devices.get(name)!.crash(torn ? "torn" : undefined);
    transport.unlisten(name);
  };
  const target: FaultTarget = {
    crash: (name) => down(name, false),
    diskTornWrite: (name) => down(name, true),
    restart: (name) => {
      const compute = computes.get(name)!;
      if (compute.state === "stopped") compute.start();
      else compute.restart();
      transport.unlisten(name); // a preempted node kept listening until its restart
      listen(name, names.indexOf(name));
      transport.send(name, name, `restart-${tokens++}`, 256);
    },
    pause: (name) => computes.get(name)!.pause(),
    resume: (name) => computes.get(name)!.resume(),
    spotPreempt: (name) => void computes.get(name)!.preempt(),
    networkPartition: (groups, asymmetric) => void network.networkPartition(groups, asymmetric),
    networkHeal: () => network.networkHeal(),
    linkLoss: (hosts, rate) => network.linkLoss(hosts, rate),
    linkDuplicate: (hosts, rate) => network.linkDuplicate(hosts, rate),
    linkReorder: (hosts, jitterUs) => network.linkReorder(hosts, jitterUs),
  };
  const injector = new FaultInjector({ clock: sim.clock, target, onApplied: (_fault, line) => sim.fingerprintMixString(line) });
  return { sim, injector };
}

const rates = { crash: 1800, pause: 1800, networkPartition: 1800, linkLoss: 1800, linkDuplicate: 1800, linkReorder: 1800, diskTornWrite: 900, spotPreempt: 900 };

function generated(random: Random): Fault[] {
  return faultSchedule(random, {
    rates, durationUs: 20 * second, nodes: names, hosts: names, spotNodes: ["n3"],
    downtimeUsMean: second, pauseUsMean: second, partitionUsMean: second, linkFaultUsMean: second,
  });
}

function runFor(sim: Simulator, faults: readonly Fault[]): void {
  sim.runUntil(Math.max(...faults.map((fault) => fault.timeUs)) + second);
}

test("generate → apply → record, then replay the recording with the same seed: identical fingerprint", (t) => {
  const original = toyCluster("replay");
  const faults = generated(original.sim.random.fork("faults"));
  t.true(faults.length > 20, `${faults.length} faults`);
  original.injector.schedule(faults);
  runFor(original.sim, faults);
  const recording = original.injector.writer.text();
  t.is(original.injector.writer.count, faults.length, "every scheduled fault was applied and recorded");
  t.deepEqual(parseFaultSchedule(recording, "recording"), faults);

  const replay = toyCluster("replay");
  replay.injector.schedule(parseFaultSchedule(recording, "recording"));
  runFor(replay.sim, faults);
  t.is(replay.sim.fingerprint(), original.sim.fingerprint());
  t.is(replay.sim.eventsProcessed, original.sim.eventsProcessed);
  t.is(replay.injector.writer.text(), recording);

  const other = toyCluster("replay");
  other.injector.schedule(generated(other.sim.random.fork("other faults")));
  runFor(other.sim, faults);
  t.not(other.sim.fingerprint(), original.sim.fingerprint(), "a different schedule gives a different run");
});

test("faults apply at their time, in schedule order at equal times, with the target's methods", (t) => {
  const sim = new Simulator({ seed: "order" });
  const calls: string[] = [];
  const log = (what: string) => (...args: unknown[]) => void calls.push(`${sim.nowUs()} ${what} ${JSON.stringify(args)}`);
  const target: FaultTarget = {
    crash: log("crash"), restart: log("restart"), pause: log("pause"), resume: log("resume"),
    diskTornWrite: log("diskTornWrite"), spotPreempt: log("spotPreempt"), networkPartition: log("partition"),
    networkHeal: log("heal"), linkLoss: log("loss"), linkDuplicate: log("duplicate"), linkReorder: log("reorder"),
  };
  const injector = new FaultInjector({ clock: sim.clock, target });
  injector.schedule([
    { timeUs: 100, fault: "crash", targets: ["a", "b"], params: {} },
    { timeUs: 100, fault: "linkLoss", targets: [], params: { rate: 0.5 } },
    { timeUs: 300, fault: "networkPartition", targets: ["a", "b"], params: { groups: [["a"], ["b"]], asymmetric: true } },
  ]);
  injector.schedule([{ timeUs: 100, fault: "heal", targets: [], params: {} }, { timeUs: 200, fault: "restart", targets: ["a"], params: {} }]);
  t.is(sim.queue.size, 1, "one timer armed for the whole schedule");
  sim.run();
  t.deepEqual(calls, [
    '100 crash ["a"]', '100 crash ["b"]', '100 loss [[],0.5]', "100 heal []", '200 restart ["a"]', '300 partition [[["a"],["b"]],true]',
  ]);
  t.throws(() => injector.schedule([{ timeUs: 5, fault: "heal", targets: [], params: {} }]), { message: /in the past/ });
});
