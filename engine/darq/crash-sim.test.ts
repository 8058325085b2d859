// Randomised crash-point test (swarm style, after TigerBeetle's VOPR): per seed, a few physical
// DARQs with several logical DARQs each, producers enqueueing tokens, processors stepping (consume
// a token, record it as a SELF event, forward it to another logical DARQ until its hop count runs
// out, and now and then replace all their SELF events by one snapshot), over a lossy, duplicating,
// reordering network, while machines and processors crash at random moments and logical DARQs
// migrate between machines (fence, export, adopt, flip, release). Topology, rates and
// configuration are drawn from the seed. Phase two heals the network and stops the crashes, and
// the run must go quiet. Then:
//   - every token hop was consumed exactly once across all logical DARQs (no committed effect
//     lost, none duplicated, every OUT delivered exactly once), and nothing is left unconsumed;
//   - crashing every machine once more and rebuilding every processor from its SELF messages
//     gives exactly the state the processors held (state after recovery = committed state).
// `npm test` runs 200 seeds; SSMS_SEEDS=5000 runs more, SSMS_SEED=<seed> replays one.

import test from "ava";
import { ErrorCode } from "../io/errors.ts";
import type { Random } from "../io/random.ts";
import type { Address } from "../io/transport.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, DarqCluster, text, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";
import { type Entry, EntryKind, type Step } from "./entry.ts";
import type { PhysicalDarq } from "./physical-darq.ts";

/** A processor for one logical DARQ; its state is the multiset of token hops it consumed. */
class Processor {
  state: string[] = [];
  private selfLsns: number[] = [];
  private incarnation = -1;
  private stepsSinceSnapshot = 0;
  alive = true;

  constructor(private readonly darq: PhysicalDarq, readonly logical: string, private readonly run: Run) {
    const registered = darq.register(logical, (entry) => this.handle(entry), (failure) => {
      if (failure !== null || !this.alive) return;
      const entries = run.value(darq.readUnconsumed(logical));
      for (const entry of entries) if (entry.kind === EntryKind.self) this.apply(entry.lsn, text(entry.body));
      for (const entry of entries) if (entry.kind === EntryKind.in) this.handle(entry);
    });
    this.incarnation = run.value(registered);
  }

  private apply(lsn: number, event: string): void {
    this.selfLsns.push(lsn);
    if (event.startsWith("s:")) this.state = JSON.parse(event.slice(2)) as string[];
    else this.state.push(event.slice(2));
  }

  private handle(entry: Entry): void {
    if (!this.alive) return;
    const hop = text(entry.body);
    const [token, hopsText] = hop.split("@") as [string, string];
    const hops = Number(hopsText);
    const out = hops === 0 ? [] : [{ to: this.run.next(token, hops), body: bytes(`${token}@${hops - 1}`) }];
    const event = `c:${hop}`;
    const lsn = this.submit({ logicalDarq: this.logical, incarnation: this.incarnation,
      consumed: [entry.lsn], self: [bytes(event)], out });
    if (lsn === null) return;
    this.apply(lsn, event);
    if (++this.stepsSinceSnapshot >= this.run.snapshotEvery) this.snapshot();
  }

  /** Submits a step; a logical DARQ being migrated away stops this processor (its successor runs on the target). */
  private submit(step: Step): number | null {
    const result = this.darq.submitStep(step, () => {});
    if (!result.ok && result.code === ErrorCode.logicalDarqMigrating) {
      this.alive = false;
      return null;
    }
    return this.run.value(result);
  }

  /** A fenced processor that keeps going: its step must be refused as stale, with no effect. */
  zombieStep(): string | null {
    const result = this.darq.submitStep({ logicalDarq: this.logical, incarnation: this.incarnation,
      consumed: [], self: [bytes("s:[\"zombie\"]")], out: [] }, () => {});
    return !result.ok && result.code === ErrorCode.stepStaleIncarnation ? null : `zombie step of ${this.logical} not fenced`;
  }

  /** Consumes every SELF event (pending ones too) and writes the state as one snapshot. */
  private snapshot(): void {
    this.stepsSinceSnapshot = 0;
    const event = `s:${JSON.stringify(this.state)}`;
    const lsn = this.submit({ logicalDarq: this.logical, incarnation: this.incarnation,
      consumed: this.selfLsns, self: [bytes(event)], out: [] });
    if (lsn === null) return;
    this.selfLsns = [];
    this.apply(lsn, event);
  }
}

/** One seed's world and workload. */
class Run {
  readonly sim: Simulator;
  readonly cluster: DarqCluster;
  readonly transport: TransportChaos;
  readonly addresses: Address[] = [];
  readonly logicals: string[] = [];
  readonly processors = new Map<string, Processor>();
  readonly expected: string[] = [];
  readonly snapshotEvery: number;
  readonly unexpected: string[] = [];
  private readonly random: Random;
  readonly counts = { machineCrashes: 0, processorCrashes: 0, tailsCut: 0, checkpoints: 0, retries: 0, steps: 0, migrations: 0 };
  /** Logical DARQs in the middle of a move, by source: until the flip the move manages their processors. */
  private readonly migrating = new Map<string, Address>();
  private unacked = 0;
  private readonly down = new Set<Address>();
  crashing = true;

  constructor(readonly seed: string) {
    this.sim = new Simulator({ seed, eventsMax: 3_000_000, timeUsMax: 3_600_000_000 });
    const random = this.sim.random.fork("swarm");
    this.random = this.sim.random.fork("workload");
    const faults = { lossChance: random.float() * 0.15, duplicateChance: random.float() * 0.15, delayUsMin: 20,
      delayUsMax: random.intRange(20, 3_000) };
    this.transport = new TransportChaos(this.sim.clock, this.sim.random.fork("network"), faults);
    const flushLatencyUs = random.intRange(10, 800);
    const config = {
      commitPeriodUs: random.intRange(0, 400), batchRecordsMax: random.intRange(1, 64), commitWhenIdle: random.chance(0.5),
      compactBytesMin: random.chance(0.5) ? random.intRange(1_024, 16_384) : 1 << 30,
      checkpointChunkBytes: random.intRange(1_024, 4_096), sendWindowMessages: random.intRange(1, 32),
      retryUsMin: random.intRange(500, 3_000), retryUsMax: 20_000,
    };
    this.snapshotEvery = random.intRange(2, 12);
    this.cluster = new DarqCluster(this.sim.clock, this.transport, (address) => new LogDeviceSim({
      clock: this.sim.clock, random: this.sim.random.fork(`device/${address}`), flushLatencyUs,
    }), config);
    const machines = random.intRange(2, 3);
    for (let machine = 0; machine < machines; machine++) {
      const address = `darq-${machine}`;
      this.addresses.push(address);
      this.cluster.add(address);
      for (let index = random.intRange(2, 4); index > 0; index--) {
        const logical = `auto-${this.logicals.length}`;
        this.logicals.push(logical);
        this.cluster.host(address, logical);
      }
    }
    this.sim.run(); // hosting is durable before the first crash can strike
    for (const logical of this.logicals) this.processorStart(logical);
  }

  value<T>(result: { ok: true; value: T } | { ok: false; code: string; reason: string }): T {
    if (result.ok) return result.value;
    this.unexpected.push(`${result.code}: ${result.reason}`);
    throw new Error(`${result.code}: ${result.reason} (seed ${this.seed})`);
  }

  /** Where a token goes after `hops`: fixed per (token, hops), so any retry picks the same. */
  next(token: string, hops: number): string {
    let hash = hops * 7919;
    for (let index = 0; index < token.length; index++) hash = (hash * 31 + token.charCodeAt(index)) >>> 0;
    return this.logicals[hash % this.logicals.length]!;
  }

  processorStart(logical: string): void {
    const previous = this.processors.get(logical);
    if (previous !== undefined) previous.alive = false;
    const darq = this.cluster.darq(this.cluster.router.routes.get(logical)!);
    this.processors.set(logical, new Processor(darq, logical, this));
  }

  /**
   * A producer: `count` tokens at random times, each resent every few ms until acknowledged, and
   * some sent once more much later (a client that retried after losing an ack), which the
   * recovered dedup state must drop.
   */
  producer(name: string, count: number): void {
    for (let seq = 1; seq <= count; seq++) {
      const hops = this.random.intRange(0, 4);
      const token = `${name}.${seq}`;
      const target = this.logicals[this.random.int(this.logicals.length)]!;
      for (let hop = hops; hop >= 0; hop--) this.expected.push(`${token}@${hop}`);
      this.unacked++;
      let acked = false;
      const enqueue = (): void => {
        const darq = this.cluster.darq(this.cluster.router.routes.get(target)!);
        darq.enqueue(target, name, seq, bytes(`${token}@${hops}`), (failure) => {
          if (failure !== null || acked) return;
          acked = true;
          this.unacked--;
        });
      };
      const send = (): void => {
        if (acked) return;
        enqueue();
        this.sim.clock.timerStart(4_000, send);
      };
      this.sim.clock.timerStart(this.random.int(80_000), send);
      if (this.random.chance(0.3)) this.sim.clock.timerStart(this.random.intRange(20_000, 120_000), enqueue);
    }
  }

  /** Random machine and processor crashes until `untilUs`. */
  crashes(untilUs: number): void {
    const random = this.sim.random.fork("crashes");
    for (let atUs = random.int(5_000); atUs < untilUs; atUs += random.intRange(1_000, 12_000)) {
      this.sim.clock.timerStart(atUs, () => {
        if (random.chance(0.6)) this.machineCrash(this.addresses[random.int(this.addresses.length)]!, random.int(3_000));
        else this.processorCrash(this.logicals[random.int(this.logicals.length)]!);
      });
    }
  }

  /** Moves of random logical DARQs to another machine at random times until `untilUs`. */
  migrations(untilUs: number): void {
    const random = this.sim.random.fork("migrations");
    for (let atUs = random.int(10_000); atUs < untilUs; atUs += random.intRange(4_000, 16_000)) {
      this.sim.clock.timerStart(atUs, () => {
        const logical = this.logicals[random.int(this.logicals.length)]!;
        const from = this.cluster.router.routes.get(logical)!;
        const others = this.addresses.filter((address) => address !== from);
        if (!this.migrating.has(logical)) this.migrate(logical, from, others[random.int(others.length)]!);
      });
    }
  }

  /**
   * The move as a resumable workflow (what the runtime's metadata automaton will do): every
   * millisecond it looks at where things stand and takes the next step — fence and export,
   * adopt, flip the route and restart the processor on the target, release — so a crash of
   * either machine at any point only delays it.
   */
  private migrate(logical: string, from: Address, to: Address): void {
    this.migrating.set(logical, from);
    this.counts.migrations++;
    let adoptedOn: PhysicalDarq | null = null;
    let adoptDurable = false;
    let releasedOn: PhysicalDarq | null = null;
    let releaseDurable = false;
    const tick = (): void => {
      if (this.down.has(from) || this.down.has(to)) return void this.sim.clock.timerStart(1_000, tick);
      const source = this.cluster.darq(from);
      const target = this.cluster.darq(to);
      if (this.cluster.router.routes.get(logical) === from) {
        // Adopted durably: its callback said so, or the target recovered it from its log.
        if (target.hosts(logical) && (adoptDurable || target !== adoptedOn)) {
          this.cluster.router.routes.set(logical, to);
          this.processorStart(logical);
        } else if (!target.hosts(logical)) {
          const state = source.migration.exportState(logical);
          if (state.ok) {
            adoptedOn = target;
            adoptDurable = false;
            this.value(target.migration.adopt(state.value, (failure) => { adoptDurable = failure === null; }));
          } else {
            this.processors.get(logical)!.alive = false;
            this.value(source.migration.fence(logical, () => {}));
          }
        }
      } else if (source.hosts(logical)) {
        releasedOn = source;
        releaseDurable = false;
        this.value(source.migration.release(logical, (failure) => { releaseDurable = failure === null; }));
      } else if (releaseDurable || source !== releasedOn) {
        this.migrating.delete(logical);
        return;
      }
      this.sim.clock.timerStart(1_000, tick);
    };
    tick();
  }

  /** A processor dies alone; a new one registers (fencing the old) on the machine if it is up. */
  processorCrash(logical: string): void {
    const address = this.cluster.router.routes.get(logical)!;
    if (this.down.has(address) || this.migrating.get(logical) === address) return;
    this.counts.processorCrashes++;
    const zombie = this.processors.get(logical)!;
    this.processorStart(logical);
    const problem = zombie.zombieStep();
    if (problem !== null) this.unexpected.push(problem);
  }

  machineCrash(address: Address, downUs: number): void {
    if (this.down.has(address)) return;
    this.down.add(address);
    this.countFrom(this.cluster.darq(address));
    this.counts.machineCrashes++;
    this.cluster.kill(address);
    for (const [logical, processor] of this.processors) {
      if (this.cluster.router.routes.get(logical) === address) processor.alive = false;
    }
    this.sim.clock.timerStart(downUs, () => {
      this.down.delete(address);
      const restarted = this.cluster.restart(address);
      if (restarted.recovery.bytesCut > 0) this.counts.tailsCut++;
      for (const logical of this.logicals) {
        if (this.cluster.router.routes.get(logical) === address && this.migrating.get(logical) !== address) {
          this.processorStart(logical);
        }
      }
    });
  }

  countFrom(darq: PhysicalDarq): void {
    this.counts.checkpoints += darq.stats.checkpoints;
    this.counts.retries += darq.senderStats.retries;
    this.counts.steps += darq.stats.stepsCommitted;
  }

  get quiet(): boolean {
    return this.unacked === 0;
  }
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

type Counts = Run["counts"];

function runSeed(seed: string, totals: Counts): string | null {
  try {
    const run = new Run(seed);
    run.producer("alpha", 20);
    run.producer("beta", 20);
    run.producer("gamma", 20);
    run.crashes(80_000);
    run.migrations(80_000);
    run.sim.runUntil(90_000);
    run.transport.faults = transportFaultsNone;
    run.sim.run();
    if (!run.quiet) return `seed ${seed}: producers still unacknowledged after healing`;
    const held = sorted([...run.processors.values()].flatMap((processor) => processor.state));
    if (JSON.stringify(held) !== JSON.stringify(sorted(run.expected))) {
      return `seed ${seed}: consumed hops differ from the produced ones (lost or duplicated): ` +
        `${held.length} held, ${run.expected.length} expected`;
    }
    for (const address of run.addresses) run.countFrom(run.cluster.darq(address));
    for (const [key, count] of Object.entries(run.counts)) totals[key as keyof Counts] += count;
    const before = new Map([...run.processors].map(([logical, processor]) => [logical, sorted(processor.state)]));
    for (const address of run.addresses) run.machineCrash(address, 0);
    run.sim.run();
    for (const [logical, processor] of run.processors) {
      if (JSON.stringify(sorted(processor.state)) !== JSON.stringify(before.get(logical))) {
        return `seed ${seed}: ${logical} rebuilt a state that differs from the committed one`;
      }
      const left = run.value(run.cluster.darq(run.cluster.router.routes.get(logical)!).readUnconsumed(logical));
      if (left.some((entry) => entry.kind === EntryKind.in)) return `seed ${seed}: ${logical} has unconsumed input`;
    }
    return run.unexpected.length === 0 ? null : `seed ${seed}: ${run.unexpected[0]}`;
  } catch (error) {
    return `seed ${seed}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
  }
}

test("crash points: no committed effect lost or duplicated, every OUT exactly once, recovery rebuilds the committed state", (t) => {
  const one = process.env["SSMS_SEED"];
  const seeds = one !== undefined ? [one] : Array.from({ length: Number(process.env["SSMS_SEEDS"] ?? 200) }, (_, index) => `darq-${index}`);
  const failures: string[] = [];
  const totals: Counts = { machineCrashes: 0, processorCrashes: 0, tailsCut: 0, checkpoints: 0, retries: 0, steps: 0, migrations: 0 };
  for (const seed of seeds) {
    const failure = runSeed(seed, totals);
    if (failure !== null) failures.push(`${failure}\n  replay with: SSMS_SEED=${seed} npx ava engine/darq/crash-sim.test.ts`);
    if (failures.length >= 3) break;
  }
  t.deepEqual(failures, [], failures.join("\n"));
  t.log(`${seeds.length} seeds: ${JSON.stringify(totals)}`);
  // The faults must have happened, or the seeds proved nothing.
  if (one === undefined) t.true(Object.values(totals).every((count) => count > 0), JSON.stringify(totals));
});
