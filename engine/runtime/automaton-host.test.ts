// Proves the automaton host on a real physical DARQ over a simulated log device (LogDeviceSim:
// crashes lose or tear the unflushed tail): state survives crashes and restarts and equals the
// committed state, every message is applied exactly once, a newer host fences an older one,
// poison messages are dead-lettered after the configured number of attempts, compaction keeps
// the SELF records bounded, and a re-executed step draws the same random numbers.

import test from "ava";
import { ErrorCode } from "../io/errors.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { DarqCluster, TransportChaos, transportFaultsNone } from "../darq/darq-test-world.ts";
import { EntryKind, type PhysicalDarq } from "../darq/index.ts";
import { defineAutomaton } from "./automaton.ts";
import { AutomatonHost, type HostReport } from "./automaton-host.ts";
import { envelopeEncode, packr } from "./codec.ts";
import type { AutomatonId } from "./ids.ts";

/** One simulated machine with one physical DARQ at "d1". */
function world(seed: string, flushLatencyUs = 200) {
  const sim = new Simulator({ seed, eventsMax: 5_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("transport"), transportFaultsNone);
  const cluster = new DarqCluster(sim.clock, transport,
    () => new LogDeviceSim({ clock: sim.clock, random: sim.random.fork("device"), flushLatencyUs }));
  cluster.add("d1");
  return { sim, cluster, darq: (): PhysicalDarq => cluster.darq("d1") };
}

type Ledger = { amounts: number[]; atUs: number[] };
const ledger = defineAutomaton<Ledger, { amount: number }, { amount: number }>({
  type: "ledger",
  initial: () => ({ amounts: [], atUs: [] }),
  handle: (ctx, _state, message) => ctx.emit({ amount: message.amount }),
  apply(state, event, step) {
    state.amounts.push(event.amount);
    state.atUs.push(step.nowUs);
    return state;
  },
});

function isPrefix(prefix: readonly number[], whole: readonly number[]): boolean {
  return prefix.length <= whole.length && prefix.every((value, index) => whole[index] === value);
}

/**
 * Sends `count` amounts at seeded times, crashes the DARQ machine `crashes` times at seeded
 * moments, restarts a host each time and resends what was not acknowledged (same producer and
 * seq: exactly-once enqueue). Checks at each restart that the recovered state is a prefix of the
 * state before the crash at least as long as the durable steps, and at the end that every amount
 * was applied exactly once.
 */
type CrashTally = { crashes: number; stepsLost: number; stepsKept: number };

function crashRun(t: import("ava").ExecutionContext, seed: string, count: number, crashes: number, tally: CrashTally): void {
  const { sim, cluster, darq } = world(seed);
  const random = sim.random.fork("test");
  const id = ledger.ref("l1");
  const amounts = Array.from({ length: count }, (_, i) => i * 1_000 + random.int(1_000));
  const acked = new Array<boolean>(count).fill(false);
  let atReady: number[] = [];
  let host!: AutomatonHost<Ledger, { amount: number }, { amount: number }>;
  let durableBase = 0;
  const start = (): void => {
    host = new AutomatonHost(ledger, id, {
      darq: darq(), clock: sim.clock, config: { snapshotEverySteps: 1 + random.int(9) },
      onReport: (report) => {
        if (report.kind !== "ready") return;
        atReady = [...host.state.amounts];
        durableBase = atReady.length;
      },
    });
    host.start();
  };
  const sendOne = (index: number): void => {
    if (acked[index]) return;
    const sent = darq().enqueue(id, "client", index + 1, envelopeEncode(id, { amount: amounts[index] }), (failure) => {
      if (failure === null) acked[index] = true;
    });
    t.true(sent.ok || sent.code === ErrorCode.deviceClosed, sent.ok ? "" : sent.reason);
  };
  start();
  for (let index = 0; index < count; index++) sim.clock.timerStart(random.int(50_000), () => sendOne(index));
  for (let crash = 0; crash < crashes; crash++) {
    sim.runFor(1 + random.int(60_000 / crashes));
    const before = [...host.state.amounts];
    const durable = durableBase + host.stats.stepsDurable;
    host.stop();
    cluster.crash("d1");
    start();
    sim.runFor(20_000);
    t.is(host.status, "running");
    t.true(isPrefix(atReady, before), `${seed}: recovered state is a prefix of the state before crash ${crash}`);
    t.true(atReady.length >= durable, `${seed}: recovery kept all ${durable} durable steps (kept ${atReady.length})`);
    tally.crashes++;
    tally.stepsLost += before.length - atReady.length;
    tally.stepsKept += atReady.length;
    for (let index = 0; index < count; index++) sendOne(index);
  }
  sim.runFor(200_000);
  t.true(acked.every(Boolean), `${seed}: every message acknowledged`);
  t.deepEqual([...host.state.amounts].sort((a, b) => a - b), amounts, `${seed}: every amount applied exactly once`);
  host.stop();
  cluster.crash("d1");
  start();
  sim.runFor(20_000);
  t.deepEqual(atReady, [...host.state.amounts], `${seed}: a clean restart rebuilds the same state`);
}

test("a counter survives crashes and restarts: recovered state is the committed state, each message once (40 seeds)", (t) => {
  const tally: CrashTally = { crashes: 0, stepsLost: 0, stepsKept: 0 };
  for (let seed = 0; seed < 40; seed++) crashRun(t, `host-crash-${seed}`, 40, 1 + (seed % 4), tally);
  t.log(tally);
  t.true(tally.stepsLost > 0, "some crashes lost accepted, not yet durable steps (and recovery coped)");
  t.true(tally.stepsKept > tally.crashes, "recoveries had state to rebuild");
});

test("state recovered from SELF records replays each step's recorded time", (t) => {
  const { sim, cluster, darq } = world("recorded-time");
  const id = ledger.ref("t");
  const host = new AutomatonHost(ledger, id, { darq: darq(), clock: sim.clock });
  host.start();
  for (let seq = 1; seq <= 5; seq++) {
    sim.clock.timerStart(seq * 3_333, () => darq().enqueue(id, "c", seq, envelopeEncode(id, { amount: seq }), () => undefined));
  }
  sim.runFor(100_000);
  const times = [...host.state.atUs];
  t.is(new Set(times).size, 5, "steps ran at different times");
  host.stop();
  cluster.crash("d1");
  const again = new AutomatonHost(ledger, id, { darq: darq(), clock: sim.clock });
  again.start();
  sim.runFor(10_000);
  t.deepEqual(again.state.atUs, times, "apply saw the same step.nowUs on replay");
});

const worker = defineAutomaton<Ledger, { amount: number }, { amount: number }>({
  type: "worker",
  initial: ledger.initial,
  apply: ledger.apply,
  handle(ctx, _state, message) {
    ctx.work(5_000);
    return ctx.emit({ amount: message.amount });
  },
});

test("a newer host fences the older one: the older one's step is refused, it ends as fenced, the input is handled once", (t) => {
  const { sim, darq } = world("fencing");
  const id = worker.ref("f");
  const reports: HostReport[] = [];
  const work = (coreUs: number, done: () => void): void => void sim.clock.timerStart(coreUs, done);
  const older = new AutomatonHost(worker, id, { darq: darq(), clock: sim.clock, work, onReport: (r) => reports.push(r) });
  older.start();
  sim.runFor(10_000);
  darq().enqueue(id, "c", 1, envelopeEncode(id, { amount: 7 }), () => undefined);
  sim.runFor(2_000); // the older host is now computing the step for this input
  const newer = new AutomatonHost(worker, id, { darq: darq(), clock: sim.clock, work });
  newer.start();
  sim.runFor(50_000);
  t.is(older.status, "fenced");
  t.is(older.reason?.code, ErrorCode.stepStaleIncarnation);
  t.like(reports.at(-1), { kind: "ended", status: "fenced" });
  t.deepEqual(older.state.amounts, [], "the fenced step changed nothing");
  t.deepEqual(newer.state.amounts, [7], "the newer host handled the input, once");
  t.is(newer.stats.workUs, 5_000);
});

type Poisonable = { seen: string[] };
const picky = defineAutomaton<Poisonable, string, string>({
  type: "picky",
  initial: () => ({ seen: [] }),
  handle(ctx, _state, message) {
    if (message.startsWith("poison")) throw new Error("cannot digest poison");
    return ctx.emit(message);
  },
  apply(state, event) {
    state.seen.push(event);
    return state;
  },
});

for (const attemptsMax of [1, 3, 5]) {
  test(`a poison message is dead-lettered after ${attemptsMax} attempt(s) with growing waits and does not block later messages`, (t) => {
    const { sim, cluster, darq } = world(`poison-${attemptsMax}`);
    const id = picky.ref("p");
    const failures: { attempt: number; atUs: number; reason: string }[] = [];
    const config = { attemptsMax, retryDelayUs: 1_000, snapshotEverySteps: 0 };
    const host = new AutomatonHost(picky, id, {
      darq: darq(), clock: sim.clock, config,
      onReport: (r) => {
        if (r.kind === "stepFailed") failures.push({ attempt: r.attempt, atUs: sim.clock.nowUs(), reason: r.failure.reason });
      },
    });
    host.start();
    ["a", "poison", "b"].forEach((message, index) =>
      darq().enqueue(id, "c", index + 1, envelopeEncode(id, message), () => undefined));
    sim.runFor(200_000);
    t.deepEqual(host.state.seen, ["a", "b"], "the poison message did not block b");
    t.deepEqual(failures.map((f) => f.attempt), Array.from({ length: attemptsMax }, (_, i) => i + 1));
    for (let i = 1; i < failures.length; i++) {
      t.is(failures[i]!.atUs - failures[i - 1]!.atUs, 1_000 * 2 ** (i - 1), "waits double: 1 ms, 2 ms, 4 ms, …");
    }
    t.regex(failures[0]?.reason ?? "", /automaton 'picky\/p' failed to handle the message at lsn \d+ \("poison"\): handle threw Error: cannot digest poison/);
    const letters = host.deadLetters();
    t.is(letters.length, 1);
    t.is(letters[0]?.attempts, attemptsMax);
    t.is(packr.unpack(letters[0]!.body)[1], "poison", "the dead letter keeps the message bytes");
    t.regex(letters[0]?.reason ?? "", /^SSMS_ERR_HANDLER_FAILED: /);

    host.stop();
    cluster.crash("d1");
    const again = new AutomatonHost(picky, id, { darq: darq(), clock: sim.clock, config });
    again.start();
    sim.runFor(50_000);
    t.deepEqual(again.state.seen, ["a", "b"], "the poison message stays consumed after a restart");
    t.is(again.deadLetters().length, 1, "and its dead letter is recovered");
  });
}

test("an input that does not decode, or names another automaton, is dead-lettered at once", (t) => {
  const { sim, darq } = world("undecodable");
  const id = picky.ref("u");
  const host = new AutomatonHost(picky, id, { darq: darq(), clock: sim.clock, config: { attemptsMax: 5 } });
  host.start();
  darq().enqueue(id, "c", 1, new Uint8Array([0xdc, 0xff]), () => undefined);
  darq().enqueue(id, "c", 2, envelopeEncode("picky/other" as AutomatonId, "x"), () => undefined);
  darq().enqueue(id, "c", 3, envelopeEncode(id, "fine"), () => undefined);
  sim.runFor(50_000);
  t.deepEqual(host.state.seen, ["fine"]);
  const reasons = host.deadLetters().map((letter) => [letter.attempts, letter.reason]);
  t.is(reasons.length, 2);
  t.deepEqual(reasons.map(([attempts]) => attempts), [0, 0], "no retries: retrying cannot help");
  t.regex(String(reasons[0]?.[1]), /SSMS_ERR_MESSAGE_INVALID: message body of 2 bytes is not msgpack/);
  t.regex(String(reasons[1]?.[1]), /message addressed to 'picky\/other' reached 'picky\/u'/);
});

test("compaction keeps the unconsumed SELF records bounded and a restart rebuilds the same state", (t) => {
  const { sim, cluster, darq } = world("compaction", 50);
  const id = ledger.ref("c");
  const config = { snapshotEverySteps: 10 };
  const host = new AutomatonHost(ledger, id, { darq: darq(), clock: sim.clock, config });
  host.start();
  let selfMax = 0;
  for (let seq = 1; seq <= 300; seq++) {
    sim.clock.timerStart(seq * 500, () => {
      darq().enqueue(id, "c", seq, envelopeEncode(id, { amount: seq }), () => undefined);
      const unconsumed = darq().readUnconsumed(id);
      const selves = unconsumed.ok ? unconsumed.value.filter((entry) => entry.kind === EntryKind.self).length : 0;
      selfMax = Math.max(selfMax, selves);
    });
  }
  sim.runFor(400_000);
  t.is(host.state.amounts.length, 300);
  t.true(host.stats.snapshots >= 25, `snapshots: ${host.stats.snapshots}`);
  t.true(selfMax <= 25, `at most ${selfMax} SELF records were ever unconsumed`);
  const expected = structuredClone(host.state);
  host.stop();
  cluster.crash("d1");
  const again = new AutomatonHost(ledger, id, { darq: darq(), clock: sim.clock, config });
  again.start();
  sim.runFor(10_000);
  t.deepEqual(again.state, expected);
});

test("host configuration is validated: unknown keys and bad values are named", (t) => {
  const { sim, darq } = world("config");
  t.throws(() => new AutomatonHost(ledger, ledger.ref("x"), { darq: darq(), clock: sim.clock, config: { attempts: 3, snapshotEverySteps: -1 } }),
    { message: /SSMS_ERR_CONFIG_INVALID: .*host.attempts: unknown key.*host.snapshotEverySteps: must be an integer/ });
});

type Dice = { draws: number[]; nowUs: number[] };
const dice = defineAutomaton<Dice, null, { draws: number[]; nowUs: number }>({
  type: "dice",
  initial: () => ({ draws: [], nowUs: [] }),
  handle: (ctx) => ctx.emit({ draws: [ctx.random(), ctx.random(), ctx.randomInt(6)], nowUs: ctx.nowUs() }),
  apply(state, event) {
    state.draws.push(...event.draws);
    state.nowUs.push(event.nowUs);
    return state;
  },
});

test("a step re-executed after a crash lost it draws the same ctx.random numbers (its time may differ)", (t) => {
  let reExecuted = 0;
  for (let seed = 0; seed < 12; seed++) {
    const { sim, cluster, darq } = world(`dice-${seed}`, 30_000);
    const id = dice.ref("d");
    const host = new AutomatonHost(dice, id, { darq: darq(), clock: sim.clock });
    host.start();
    sim.runFor(100_000);
    darq().enqueue(id, "c", 1, envelopeEncode(id, null), () => undefined);
    sim.runFor(40_000); // the input is durable and handled; the step is accepted, not yet durable
    t.is(host.stats.stepsSubmitted, 1);
    t.is(host.stats.stepsDurable, 0);
    const before = structuredClone(host.state);
    host.stop();
    cluster.crash("d1");
    let atReady = 0;
    const again = new AutomatonHost(dice, id, {
      darq: darq(), clock: sim.clock, onReport: (r) => void (r.kind === "ready" && (atReady = again.state.draws.length)),
    });
    sim.runFor(5_000); // a later time
    again.start();
    sim.runFor(100_000);
    t.deepEqual(again.state.draws, before.draws, `${seed}: same draws`);
    if (atReady === 0) {
      reExecuted++;
      t.true(again.state.nowUs[0]! > before.nowUs[0]!, "the re-executed step ran later");
    }
  }
  t.true(reExecuted >= 3, `the crash lost the step (so it was re-executed) in ${reExecuted} of 12 runs`);
});

const registry = defineAutomaton<{ names: Map<string, number> }, string, string, [string, number][]>({
  type: "registry",
  initial: () => ({ names: new Map() }),
  handle: (ctx, state, name) => (state.names.has(name) ? undefined : ctx.emit(name)),
  apply(state, name) {
    state.names.set(name, state.names.size);
    return state;
  },
  snapshot: (state) => [...state.names],
  restore: (entries) => ({ names: new Map(entries) }),
});

test("compaction of a state that is not plain data goes through snapshot/restore and survives a restart", (t) => {
  const { sim, cluster, darq } = world("hooks");
  const id = registry.ref("r");
  const config = { snapshotEverySteps: 3 };
  const host = new AutomatonHost(registry, id, { darq: darq(), clock: sim.clock, config });
  host.start();
  const names = ["ada", "bob", "ada", "cy", "dee", "bob", "eve", "fay", "gus", "hal"];
  names.forEach((name, index) => sim.clock.timerStart(1_000 * (index + 1), () =>
    darq().enqueue(id, "c", index + 1, envelopeEncode(id, name), () => undefined)));
  sim.runFor(100_000);
  t.true(host.stats.snapshots >= 2);
  const expected = [...host.state.names];
  t.deepEqual(expected.map(([name]) => name), ["ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"]);
  host.stop();
  cluster.crash("d1");
  const again = new AutomatonHost(registry, id, { darq: darq(), clock: sim.clock, config });
  again.start();
  sim.runFor(10_000);
  t.true(again.state.names instanceof Map, "restore rebuilt the Map");
  t.deepEqual([...again.state.names], expected);
});

test("a work function that completes at once (live mode) handles a long backlog without deep recursion", (t) => {
  const { sim, darq } = world("work-sync");
  const id = worker.ref("s");
  darq().host(id);
  for (let seq = 1; seq <= 20_000; seq++) darq().enqueue(id, "c", seq, envelopeEncode(id, { amount: seq }), () => undefined);
  sim.runFor(100_000);
  // The whole backlog is handed over at once by recovery: a pump that recursed per input would overflow.
  const host = new AutomatonHost(worker, id, { darq: darq(), clock: sim.clock, work: (_coreUs, done) => done() });
  host.start();
  sim.runFor(1_000_000);
  t.is(host.state.amounts.length, 20_000);
  t.is(host.stats.workUs, 20_000 * 5_000);
});

test("a poison input too large to keep is dead-lettered with its body truncated", (t) => {
  const { sim, darq } = world("poison-large");
  const id = picky.ref("big");
  const host = new AutomatonHost(picky, id, { darq: darq(), clock: sim.clock, config: { attemptsMax: 1 } });
  host.start();
  sim.runFor(10_000);
  const huge = envelopeEncode(id, "poison".padEnd(200_000, "!"));
  darq().enqueue(id, "c", 1, huge, () => undefined);
  sim.runFor(100_000);
  t.is(host.status, "running");
  const letter = host.deadLetters()[0];
  t.is(letter?.body.length, 64 * 1024);
  t.regex(letter?.reason ?? "", new RegExp(`body truncated to 65536 of ${huge.length} bytes`));
});
