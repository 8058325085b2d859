// A processor on another machine (RemoteDarq ↔ ProcessorService over the Transport) behaves as one
// in-process: over a network that loses, duplicates and reorders messages, a remote counter ends in
// the same committed state as an in-process one, compaction works with provisional LSNs, a newer
// registration fences the remote processor and tells it so (it ends even when idle), a registration
// older than one already admitted is refused, and a restarted DARQ node ends sessions of its
// previous boot.

import test from "ava";
import type { Random } from "../io/random.ts";
import type { Result } from "../io/result.ts";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import { EntryKind, PhysicalDarq } from "../darq/index.ts";
import { Simulator } from "../../sim/simulator.ts";
import { TransportSim, type LinkModel } from "../../sim/transport-sim.ts";
import { AutomatonHost, type HostReport } from "./automaton-host.ts";
import { messageEncode } from "./codec.ts";
import { counter } from "./example-counter.ts";
import { replay } from "./host-replay.ts";
import { ProcessorService } from "./processor-service.ts";
import { RemoteDarqLink } from "./remote-darq-link.ts";

/** Loses, duplicates and reorders (a delay range much wider than message spacing). */
class LinkLossy implements LinkModel {
  private readonly out: number[] = [];
  constructor(private readonly random: Random, private readonly lossChance: number) {}
  deliveries(): readonly number[] {
    this.out.length = 0;
    if (this.random.chance(this.lossChance)) return this.out;
    this.out.push(this.random.intRange(50, 2_000));
    if (this.random.chance(this.lossChance / 2)) this.out.push(this.random.intRange(50, 2_000));
    return this.out;
  }
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

const alice = counter.ref("alice");
const router = { resolve: () => undefined, invalidate: () => undefined };

function world(seed: string, lossChance: number) {
  const sim = new Simulator({ seed });
  const transport = new TransportSim(sim.queue, new LinkLossy(sim.random.fork("net"), lossChance));
  const darq = PhysicalDarq.open({ device: new LogDeviceMemory(), clock: sim.clock, transport, router, address: "d" });
  const service = new ProcessorService(darq, transport, sim.clock, "d~proc", "d#1");
  const link = new RemoteDarqLink(transport, sim.clock, "c~proc", "c#1", { resendUsMin: 2_000, resendUsMax: 50_000, attemptsMax: 1_000 });
  return { sim, transport, darq, service, link };
}

function committed(darq: PhysicalDarq): unknown {
  const entries = value(darq.readUnconsumed(alice)).filter((entry) => entry.kind === EntryKind.self);
  return value(replay(counter, alice, entries, 0)).state;
}

/** Enqueues adds 1…count, one every `spacingUs` (0: all at once), so steps trickle in. */
function addAll(darq: PhysicalDarq, count: number, sim?: Simulator, spacingUs = 0): void {
  value(darq.host(alice));
  for (let seq = 1; seq <= count; seq++) {
    const enqueue = (): void => {
      value(darq.enqueue(alice, "producer", seq, messageEncode(alice, { type: "add", amount: seq }), () => undefined));
    };
    if (sim === undefined || spacingUs === 0) enqueue();
    else sim.clock.timerStart(seq * spacingUs, enqueue);
  }
}

test("a remote counter over a lossy, duplicating, reordering network ends like an in-process one", (t) => {
  let resent = 0;
  for (let round = 0; round < 5; round++) {
    const remote = world(`remote-${round}`, 0.15);
    addAll(remote.darq, 40, remote.sim, 20_000);
    const remoteHost = new AutomatonHost(counter, alice, {
      darq: remote.link.open(alice, "d~proc", 1, () => t.fail("the session must not break")), clock: remote.sim.clock,
      config: { snapshotEverySteps: 7 },
    });
    remoteHost.start();
    remote.sim.runFor(5_000_000);
    const local = world(`local-${round}`, 0);
    addAll(local.darq, 40, local.sim, 20_000);
    const localHost = new AutomatonHost(counter, alice, { darq: local.darq, clock: local.sim.clock, config: { snapshotEverySteps: 7 } });
    localHost.start();
    local.sim.runFor(5_000_000);
    const expected = { count: 820, steps: 40 };
    t.like(committed(remote.darq), expected, `round ${round}: remote committed state`);
    t.like(committed(local.darq), expected);
    t.like(remoteHost.state, expected);
    // Compaction consumed SELF records by their provisional LSNs, translated to real ones: a wrong
    // translation would have been refused (stepConflict) and failed the host.
    t.true(remoteHost.stats.snapshots >= 1, "compaction ran");
    t.is(remoteHost.status, "running");
    t.true(value(remote.darq.readUnconsumed(alice)).length < 40, "compaction consumed old SELF records");
    resent += remote.service.stats.inputsResent;
  }
  t.true(resent > 0, "some inputs were lost and resent");
});

test("a newer registration fences an idle remote processor, which is told and ends", (t) => {
  const { sim, darq, service, link } = world("fence", 0);
  addAll(darq, 3);
  const reports: HostReport[] = [];
  let broken = "";
  const remote = new AutomatonHost(counter, alice, {
    darq: link.open(alice, "d~proc", 1, (reason) => {
      broken = reason.code;
    }),
    clock: sim.clock, onReport: (report) => reports.push(report),
  });
  remote.start();
  sim.runFor(1_000_000);
  t.like(remote.state, { count: 6 });
  t.true(service.admit(alice, 2, () => undefined), "a newer epoch is admitted");
  sim.runFor(1_000_000);
  t.is(broken, "SSMS_ERR_STEP_STALE_INCARNATION");
  t.is(link.sessionCount, 0);
  t.false(service.admit(alice, 1, () => undefined), "an older epoch is refused");
});

test("a registration older than one admitted is refused, and the remote host ends as fenced", (t) => {
  const { sim, darq, service, link } = world("older", 0);
  addAll(darq, 1);
  t.true(service.admit(alice, 5, () => undefined));
  const reports: HostReport[] = [];
  const host = new AutomatonHost(counter, alice, { darq: link.open(alice, "d~proc", 3, () => undefined), clock: sim.clock,
    onReport: (report) => reports.push(report) });
  host.start();
  sim.runFor(1_000_000);
  const ended = reports.find((report) => report.kind === "ended");
  t.is(ended?.kind === "ended" ? ended.reason.code : undefined, "SSMS_ERR_STEP_STALE_INCARNATION");
  t.like(committed(darq), { count: 0 });
});

test("a restarted DARQ node ends the sessions of its previous boot", (t) => {
  const { sim, transport, darq, service, link } = world("restart", 0);
  addAll(darq, 2);
  let broken = "";
  const host = new AutomatonHost(counter, alice, {
    darq: link.open(alice, "d~proc", 1, (reason) => {
      broken = reason.reason;
    }), clock: sim.clock,
  });
  host.start();
  sim.runFor(1_000_000);
  service.stop();
  const restarted = new ProcessorService(darq, transport, sim.clock, "d~proc", "d#2");
  restarted.announce(["c~proc"]);
  sim.runFor(1_000_000);
  t.regex(broken, /restarted/);
  t.is(link.sessionCount, 0);
});
