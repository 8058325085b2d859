// A small but real point executor: the experiment's workload as a queue in front of c servers,
// run on the deterministic Simulator. It is what the runner's tests run (not a fake result: every
// number comes out of the simulated events), and a worked example of the PointExecutor contract
// for the simulated cluster's executor. It is not the SSMS model: no DARQs, no placement.
//
// Model: one server per node of every compute pool. pi-chain runs closed: chainCount chains, each
// step served in piWorkCoreUs(computeScale) (the calibrated work) and followed by a 500 µs hop to
// the next step (paper §4.4); the other workloads run open, requests arriving by their arrival
// process at their base rate and served in exponential time with mean 1 ms. FIFO queue. Faults, in
// the simulator's vocabulary (sim/faults/fault.ts): crash takes a server down and requeues its job
// at the head, restart brings it back; drawn from faults.model.ratesPerHour.nodeCrash (each crash
// followed by a restart after an exponential downtime, mean durationUsMean), or applied from
// options.faultSchedule. Cost: a flat price per provisioned server-hour plus a price per
// request, the fixture's own prices, not a cloud's.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { exponential } from "../../engine/io/distributions.ts";
import { Simulator } from "../../sim/simulator.ts";
import { arrivalNever, arrivalProcessOf, type ArrivalSpec } from "../../workloads/arrivals/arrivals.ts";
import { piWorkCoreUs } from "../../workloads/pi/pi-work.ts";
import { experimentDurationUs, type Experiment } from "../schema.ts";
import type { FaultRecord, PointOptions, PointResult, TimeseriesSample, TraceEvent } from "./point.ts";
import { LatencyLog } from "./latency-log.ts";

const hopUs = 500;
const serviceUsMeanOpen = 1000;
const serverUsdPerHour = 0.1;
const requestUsd = 2e-7;
const hoursPerMonth = 730;
const traceEventsMax = 20_000;
/** The fixture's run limit (STYLE 6): a point that needs more events fails with simulationLimit. */
export const queueSimEventsMax = 2_000_000;

type Server = { up: boolean; job: number; timer: number; startUs: number };

function openRatePerS(workload: Experiment["workload"]): number {
  switch (workload.kind) {
    case "travel-saga": return workload.arrivalsPerS;
    case "stream-pipeline": return workload.eventsPerS;
    case "monitoring": return workload.framesPerS * workload.streams;
    case "synthetic": return workload.messagesPerS;
    case "pi-chain": return workload.chainCount;
  }
}

/** Faults drawn from the seeded model: crashes as a Poisson process, each with its restart. */
function modelFaults(config: Experiment, simulator: Simulator, servers: number, durationUs: number): FaultRecord[] {
  const ratePerHour = config.faults?.model?.ratesPerHour.nodeCrash ?? 0;
  if (ratePerHour <= 0) return [];
  const random = simulator.random.fork("faults");
  const downUsMean = config.faults?.model?.durationUsMean ?? 5_000_000;
  const faults: FaultRecord[] = [];
  for (let timeUs = exponential(random, 3.6e9 / ratePerHour); timeUs < durationUs; timeUs += exponential(random, 3.6e9 / ratePerHour)) {
    const targets = [`server-${random.int(servers)}`];
    faults.push({ timeUs: Math.floor(timeUs), fault: "crash", targets, params: {} });
    faults.push({ timeUs: Math.floor(timeUs + exponential(random, downUsMean)) + 1, fault: "restart", targets, params: {} });
  }
  // Restarts interleave with later crashes; a schedule is in time order (stable for equal times).
  return faults.sort((a, b) => a.timeUs - b.timeUs);
}

class QueueSim {
  readonly simulator: Simulator;
  readonly servers: Server[];
  private readonly queue: number[] = [];
  private readonly jobArrivalUs: number[] = [];
  private readonly jobChain: number[] = [];
  private readonly jobHopFrom: number[] = [];
  /** Start of the step that sent each job (a trace flow starts on that step's slice). */
  private readonly jobSenderStartUs: number[] = [];
  private readonly chainSteps: number[] = [];
  readonly latencies = new LatencyLog();
  readonly trace: TraceEvent[] = [];
  private readonly service;
  completed = 0;

  constructor(readonly config: Experiment, seed: string, readonly options: PointOptions) {
    this.simulator = new Simulator({ seed, eventsMax: queueSimEventsMax });
    const count = config.cluster.compute.reduce((sum, pool) => sum + pool.count, 0);
    this.servers = Array.from({ length: Math.max(1, count) }, () => ({ up: true, job: -1, timer: -1, startUs: 0 }));
    this.service = this.simulator.random.fork("service");
  }

  private serviceUs(): number {
    const workload = this.config.workload;
    if (workload.kind === "pi-chain") return Math.max(1, Math.round(piWorkCoreUs(workload.computeScale)));
    return Math.max(1, Math.round(exponential(this.service, serviceUsMeanOpen)));
  }

  enqueue(chain: number, hopFrom: number, senderStartUs = 0): void {
    const job = this.jobArrivalUs.length;
    this.jobArrivalUs.push(this.simulator.nowUs());
    this.jobChain.push(chain);
    this.jobHopFrom.push(hopFrom);
    this.jobSenderStartUs.push(senderStartUs);
    this.queue.push(job);
    this.dispatch();
  }

  private dispatch(): void {
    for (let index = 0; index < this.servers.length && this.queue.length > 0; index++) {
      const server = this.servers[index]!;
      if (!server.up || server.job >= 0) continue;
      const job = this.queue.shift()!;
      server.job = job;
      server.startUs = this.simulator.nowUs();
      server.timer = this.simulator.clock.timerStart(this.serviceUs(), () => this.complete(index));
      const from = this.jobHopFrom[job]!;
      if (this.options.trace && from >= 0 && this.trace.length < traceEventsMax) {
        this.trace.push({ kind: "message", id: job, fromNode: `server-${from}`, fromAutomaton: `chain-${this.jobChain[job]}`, sentUs: this.jobSenderStartUs[job]!, toNode: `server-${index}`, toAutomaton: `chain-${this.jobChain[job]}`, receivedUs: server.startUs });
      }
    }
  }

  private complete(index: number): void {
    const server = this.servers[index]!;
    const job = server.job;
    const nowUs = this.simulator.nowUs();
    server.job = -1;
    this.completed++;
    this.latencies.add(nowUs - this.jobArrivalUs[job]!);
    this.simulator.fingerprintMix(job);
    const chain = this.jobChain[job]!;
    if (this.options.trace && this.trace.length < traceEventsMax) {
      this.trace.push({ kind: "step", node: `server-${index}`, automaton: chain >= 0 ? `chain-${chain}` : "requests", startUs: server.startUs, durationUs: nowUs - server.startUs });
    }
    if (chain >= 0) this.nextStep(chain, index, server.startUs);
    this.dispatch();
  }

  private nextStep(chain: number, from: number, fromStartUs: number): void {
    const workload = this.config.workload;
    const steps = ++this.chainSteps[chain]!;
    if (workload.kind === "pi-chain" && workload.chainHops !== undefined && steps >= workload.chainHops) return;
    this.simulator.clock.timerStart(hopUs, () => this.enqueue(chain, from, fromStartUs));
  }

  startChains(arrival: ArrivalSpec | undefined, chains: number): void {
    for (let chain = 0; chain < chains; chain++) this.chainSteps.push(0);
    if (arrival === undefined) {
      for (let chain = 0; chain < chains; chain++) this.enqueue(chain, -1);
      return;
    }
    // With an arrival process, chain k starts at the k-th arrival.
    const process = arrivalProcessOf(arrival, chains, this.simulator.random.fork("arrivals"), this.options.arrivalTimesUs);
    let timeUs = 0;
    for (let chain = 0; chain < chains; chain++) {
      timeUs = process.nextArrivalUs(timeUs);
      if (timeUs === arrivalNever) return;
      this.simulator.clock.timerStart(timeUs, () => this.enqueue(chain, -1));
    }
  }

  startOpen(arrival: ArrivalSpec, ratePerS: number, endUs: number): void {
    const process = arrivalProcessOf(arrival, ratePerS, this.simulator.random.fork("arrivals"), this.options.arrivalTimesUs);
    const arrive = (): void => {
      this.enqueue(-1, -1);
      const nextUs = process.nextArrivalUs(this.simulator.nowUs());
      if (nextUs !== arrivalNever && nextUs < endUs) this.simulator.clock.timerStart(nextUs - this.simulator.nowUs(), arrive);
    };
    const firstUs = process.nextArrivalUs(0);
    if (firstUs !== arrivalNever && firstUs < endUs) this.simulator.clock.timerStart(firstUs, arrive);
  }

  apply(fault: FaultRecord): void {
    if (fault.fault !== "crash" && fault.fault !== "restart") {
      throw new SsmsError(ErrorCode.configInvalid, `the queue simulation applies only crash and restart faults, the schedule has '${fault.fault}' at ${fault.timeUs} us`);
    }
    for (const target of fault.targets) {
      const index = Number(/^server-(\d+)$/.exec(target)?.[1] ?? NaN);
      const server = this.servers[index];
      if (server === undefined) throw new SsmsError(ErrorCode.configInvalid, `fault at ${fault.timeUs} us targets '${target}', but the cluster has server-0 to server-${this.servers.length - 1}`);
      if (fault.fault === "restart") {
        server.up = true;
        this.dispatch();
      } else if (server.up) {
        server.up = false;
        if (server.job >= 0) {
          this.simulator.clock.timerCancel(server.timer);
          this.queue.unshift(server.job);
          server.job = -1;
        }
      }
    }
  }

  get queueLength(): number {
    return this.queue.length;
  }
}

function sampler(model: QueueSim, intervalUs: number, endUs: number, samples: TimeseriesSample[]): void {
  let completedBefore = 0;
  let latenciesBefore = 0;
  const sample = (): void => {
    const nowUs = model.simulator.nowUs();
    const window = model.latencies.percentiles(latenciesBefore, model.latencies.length);
    const serversUp = model.servers.filter((server) => server.up).length;
    samples.push({
      timeUs: nowUs,
      throughputPerS: ((model.completed - completedBefore) * 1e6) / intervalUs,
      latencyUsP50: window.p50,
      latencyUsP99: window.p99,
      costUsdPerHour: model.servers.length * serverUsdPerHour + ((model.completed - completedBefore) * requestUsd * 3.6e9) / intervalUs,
      queueLength: model.queueLength,
      serversUp,
    });
    completedBefore = model.completed;
    latenciesBefore = model.latencies.length;
    if (nowUs + intervalUs <= endUs) model.simulator.clock.timerStart(intervalUs, sample);
  };
  model.simulator.clock.timerStart(intervalUs, sample);
}

/** The PointExecutor: runs the queue model for the config's duration. */
export function executePointQueueSim(config: Experiment, seed: string, options: PointOptions): PointResult {
  const model = new QueueSim(config, seed, options);
  const durationUs = experimentDurationUs(config);
  const faults = options.faultSchedule ?? modelFaults(config, model.simulator, model.servers.length, durationUs);
  const applied = faults.filter((fault) => fault.timeUs <= durationUs);
  for (const fault of applied) model.simulator.clock.timerStart(fault.timeUs, () => model.apply(fault));
  const workload = config.workload;
  if (workload.kind === "pi-chain") model.startChains(workload.arrival, workload.chainCount);
  else model.startOpen(workload.arrival, openRatePerS(workload), durationUs);
  const timeseries: TimeseriesSample[] = [];
  sampler(model, options.timeseriesIntervalUs, durationUs, timeseries);
  model.simulator.runUntil(durationUs);
  const all = model.latencies.percentiles(0, model.latencies.length);
  const months = durationUs / (hoursPerMonth * 3.6e9);
  return {
    fingerprint: model.simulator.fingerprint(),
    eventsProcessed: model.simulator.eventsProcessed,
    durationUs,
    throughputPerS: (model.completed * 1e6) / durationUs,
    latencyUsP50: all.p50,
    latencyUsP95: all.p95,
    latencyUsP99: all.p99,
    costUsdPerMonth: model.servers.length * serverUsdPerHour * hoursPerMonth + (model.completed * requestUsd) / months,
    timeseries,
    faultsApplied: applied,
    ...(options.trace ? { trace: model.trace } : {}),
    metrics: { completed: model.completed, servers: model.servers.length },
  };
}
