// The seeded fault model: rates per fault kind → a fault schedule, drawn once before the run.
//
// Each kind's fault times form a Poisson process at its rate (faults per simulated hour) over
// [0, durationUs), drawn from the kind's own forked stream, so changing one kind's rate never
// moves another kind's faults. Each fault is an episode that ends: crash and diskTornWrite with a
// restart after an exponential downtime; pause with a resume; spotPreempt with a restart after
// the eviction notice plus an exponential replacement time; a partition with a heal; a link
// fault with the same fault at rate (or jitter) 0. Episode ends may fall after durationUs, so
// every run finishes healed and can be checked for convergence (VOPR's second phase).
// Targets: a node episode picks one node uniformly and is skipped if that node is still inside
// an earlier episode (a down node is not crashed again); a partition splits a shuffled host list
// at a uniform cut into two groups, asymmetric with `asymmetricChance`, one partition at a time;
// a link fault hits every link or one host's links, equally likely, one episode per kind at a time.

import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import type { Random } from "../../engine/io/random.ts";
import { exponential, pick, shuffle } from "../distributions.ts";
import type { Fault } from "./fault.ts";

export const faultRateKinds = ["crash", "pause", "networkPartition", "linkLoss", "linkDuplicate", "linkReorder", "diskTornWrite", "spotPreempt"] as const;
export type FaultRateKind = (typeof faultRateKinds)[number];
/** Faults per simulated hour, per kind; absent means 0 (no faults is the default). */
export type FaultRates = Readonly<Partial<Record<FaultRateKind, number>>>;

export type FaultModelOptions = {
  readonly rates: FaultRates;
  /** Faults start in [0, durationUs). */
  readonly durationUs: number;
  /** Node ids for crash, pause and diskTornWrite. */
  readonly nodes: readonly string[];
  /** Host ids for partitions and link faults. */
  readonly hosts: readonly string[];
  /** Spot node ids for spotPreempt; default none. */
  readonly spotNodes?: readonly string[];
  /** Mean downtime after a crash or torn write; default 10 s. */
  readonly downtimeUsMean?: number;
  readonly pauseUsMean?: number;
  readonly partitionUsMean?: number;
  readonly linkFaultUsMean?: number;
  /** Spot: notice before the kill (default 30 s) and mean time to a replacement (default 60 s). */
  readonly evictionNoticeUs?: number;
  readonly spotReplaceUsMean?: number;
  readonly lossRate?: number;
  readonly duplicateRate?: number;
  readonly reorderJitterUs?: number;
  readonly asymmetricChance?: number;
};

const hourUs = 3_600_000_000;
const second = 1_000_000;

type Arrival = { readonly timeUs: number; readonly kind: FaultRateKind };

/** Draws a fault schedule (sorted by time) from `random`, e.g. `simulator.random.fork("faults")`. */
export function faultSchedule(random: Random, options: FaultModelOptions): Fault[] {
  check(options);
  const arrivals: Arrival[] = [];
  for (const kind of faultRateKinds) {
    const rate = options.rates[kind] ?? 0;
    if (rate === 0) continue;
    const stream = random.fork(`arrivals/${kind}`);
    for (let timeUs = exponential(stream, hourUs / rate); timeUs < options.durationUs; timeUs += exponential(stream, hourUs / rate)) {
      arrivals.push({ timeUs: Math.floor(timeUs), kind });
    }
  }
  arrivals.sort((a, b) => a.timeUs - b.timeUs || faultRateKinds.indexOf(a.kind) - faultRateKinds.indexOf(b.kind));
  const episodes = new Episodes(random, options);
  for (const arrival of arrivals) episodes.add(arrival);
  // Stable: at equal times, faults keep the order they were generated in.
  return episodes.faults.sort((a, b) => a.timeUs - b.timeUs);
}

class Episodes {
  readonly faults: Fault[] = [];
  private readonly busyUntilUs = new Map<string, number>();
  private readonly streams = new Map<string, Random>();

  constructor(private readonly random: Random, private readonly options: FaultModelOptions) {}

  add({ timeUs, kind }: Arrival): void {
    const stream = this.stream(kind);
    const o = this.options;
    switch (kind) {
      case "crash":
      case "diskTornWrite":
        return this.nodeEpisode(stream, timeUs, kind, "restart", o.nodes, () => duration(stream, o.downtimeUsMean ?? 10 * second));
      case "pause":
        return this.nodeEpisode(stream, timeUs, kind, "resume", o.nodes, () => duration(stream, o.pauseUsMean ?? 2 * second));
      case "spotPreempt":
        return this.nodeEpisode(stream, timeUs, kind, "restart", o.spotNodes ?? [],
          () => (o.evictionNoticeUs ?? 30 * second) + duration(stream, o.spotReplaceUsMean ?? 60 * second));
      case "networkPartition":
        return this.partition(stream, timeUs);
      case "linkLoss":
        return this.linkEpisode(stream, timeUs, kind, { rate: o.lossRate ?? 0.1 }, { rate: 0 });
      case "linkDuplicate":
        return this.linkEpisode(stream, timeUs, kind, { rate: o.duplicateRate ?? 0.1 }, { rate: 0 });
      case "linkReorder":
        return this.linkEpisode(stream, timeUs, kind, { jitterUs: o.reorderJitterUs ?? 1000 }, { jitterUs: 0 });
    }
  }

  private nodeEpisode(stream: Random, timeUs: number, kind: "crash" | "diskTornWrite" | "pause" | "spotPreempt",
    end: "restart" | "resume", nodes: readonly string[], lengthUs: () => number): void {
    const node = pick(stream, nodes);
    const length = lengthUs();
    if (!this.free(`node/${node}`, timeUs)) return;
    this.busyUntilUs.set(`node/${node}`, timeUs + length);
    this.faults.push({ timeUs, fault: kind, targets: [node], params: {} });
    this.faults.push({ timeUs: timeUs + length, fault: end, targets: [node], params: {} });
  }

  private partition(stream: Random, timeUs: number): void {
    const hosts = shuffle(stream, [...this.options.hosts]);
    const cut = stream.intRange(1, hosts.length - 1);
    const asymmetric = stream.chance(this.options.asymmetricChance ?? 0.5);
    const length = duration(stream, this.options.partitionUsMean ?? 10 * second);
    if (!this.free("partition", timeUs)) return;
    this.busyUntilUs.set("partition", timeUs + length);
    const groups = [hosts.slice(0, cut), hosts.slice(cut)];
    this.faults.push({ timeUs, fault: "networkPartition", targets: groups.flat(), params: { groups, asymmetric } });
    this.faults.push({ timeUs: timeUs + length, fault: "heal", targets: [], params: {} });
  }

  private linkEpisode<P extends { rate: number } | { jitterUs: number }>(stream: Random, timeUs: number,
    kind: "linkLoss" | "linkDuplicate" | "linkReorder", on: P, off: P): void {
    const targets = stream.chance(0.5) ? [] : [pick(stream, this.options.hosts)];
    const length = duration(stream, this.options.linkFaultUsMean ?? 10 * second);
    if (!this.free(`link/${kind}`, timeUs)) return;
    this.busyUntilUs.set(`link/${kind}`, timeUs + length);
    this.faults.push({ timeUs, fault: kind, targets, params: on } as Fault);
    this.faults.push({ timeUs: timeUs + length, fault: kind, targets, params: off } as Fault);
  }

  private free(key: string, timeUs: number): boolean {
    return (this.busyUntilUs.get(key) ?? -1) < timeUs;
  }

  private stream(kind: FaultRateKind): Random {
    let stream = this.streams.get(kind);
    if (stream === undefined) {
      stream = this.random.fork(`targets/${kind}`);
      this.streams.set(kind, stream);
    }
    return stream;
  }
}

/** An episode length: exponential with the given mean, at least 1 µs, whole µs. */
function duration(stream: Random, meanUs: number): number {
  return Math.max(1, Math.round(exponential(stream, meanUs)));
}

function check(options: FaultModelOptions): void {
  const problems: string[] = [];
  if (!(Number.isSafeInteger(options.durationUs) && options.durationUs > 0)) problems.push(`durationUs must be a positive integer, got ${options.durationUs}`);
  for (const [kind, rate] of Object.entries(options.rates)) {
    if (!faultRateKinds.includes(kind as FaultRateKind)) problems.push(`rates.${kind}: unknown fault kind (kinds: ${faultRateKinds.join(", ")})`);
    else if (!(typeof rate === "number" && rate >= 0 && Number.isFinite(rate))) problems.push(`rates.${kind} must be a finite number ≥ 0 per hour, got ${rate}`);
  }
  const needs = (kinds: readonly FaultRateKind[], list: readonly string[] | undefined, minimum: number, what: string) => {
    for (const kind of kinds) {
      if ((options.rates[kind] ?? 0) > 0 && (list?.length ?? 0) < minimum) problems.push(`rates.${kind} > 0 needs at least ${minimum} ${what}`);
    }
  };
  needs(["crash", "pause", "diskTornWrite"], options.nodes, 1, "node in nodes");
  needs(["spotPreempt"], options.spotNodes, 1, "node in spotNodes");
  needs(["networkPartition"], options.hosts, 2, "hosts in hosts");
  needs(["linkLoss", "linkDuplicate", "linkReorder"], options.hosts, 1, "host in hosts");
  if (problems.length > 0) {
    throw new SsmsError(ErrorCode.configInvalid, `fault model options are invalid:\n  ${problems.join("\n  ")}`, { problems });
  }
}
