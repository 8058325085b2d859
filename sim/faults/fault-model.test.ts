// Tests of the seeded fault model: fault counts are Poisson at the given rates (mean and
// variance over many seeds), every episode ends, a node is never faulted again while down,
// kinds draw from independent streams, the same seed gives the same schedule, zero rates give
// none, and bad options are rejected with every problem named.

import test from "ava";
import { mean, variance } from "simple-statistics";
import { SsmsError } from "../../engine/io/errors.ts";
import { RandomSim } from "../random-sim.ts";
import type { Fault } from "./fault.ts";
import { faultSchedule, type FaultModelOptions } from "./fault-model.ts";
import { formatFaultSchedule, parseFaultSchedule } from "./schedule.ts";

const hourUs = 3_600_000_000;
const nodes = Array.from({ length: 200 }, (_, i) => `node-${i}`);
const hosts = ["h0", "h1", "h2", "h3", "h4"];

function options(overrides: Partial<FaultModelOptions> = {}): FaultModelOptions {
  return { rates: {}, durationUs: hourUs, nodes, hosts, spotNodes: ["spot-0", "spot-1"], ...overrides };
}

const count = (faults: readonly Fault[], kind: Fault["fault"]) => faults.filter((fault) => fault.fault === kind).length;

test("crash counts per hour are Poisson at the rate: mean and variance ≈ 6 over 400 seeds", (t) => {
  const counts: number[] = [];
  for (let seed = 0; seed < 400; seed++) {
    counts.push(count(faultSchedule(new RandomSim(`poisson-${seed}`), options({ rates: { crash: 6 }, downtimeUsMean: 1000 })), "crash"));
  }
  t.true(Math.abs(mean(counts) - 6) < 0.4, `mean ${mean(counts)}`);
  t.true(Math.abs(variance(counts) - 6) < 1.5, `variance ${variance(counts)}`);
});

test("every episode ends: restart after crash, resume after pause, heal after partition, rate 0 after link faults", (t) => {
  const rates = { crash: 20, pause: 20, networkPartition: 20, linkLoss: 20, linkDuplicate: 20, linkReorder: 20, diskTornWrite: 20, spotPreempt: 20 };
  const faults = faultSchedule(new RandomSim("episodes"), options({ rates }));
  t.true(faults.length > 200);
  t.is(count(faults, "restart"), count(faults, "crash") + count(faults, "diskTornWrite") + count(faults, "spotPreempt"));
  t.is(count(faults, "resume"), count(faults, "pause"));
  t.is(count(faults, "heal"), count(faults, "networkPartition"));
  const lossOn = faults.filter((fault) => fault.fault === "linkLoss" && fault.params.rate > 0).length;
  t.is(count(faults, "linkLoss"), 2 * lossOn);
  for (let i = 1; i < faults.length; i++) t.true(faults[i]!.timeUs >= faults[i - 1]!.timeUs, "sorted by time");
  const partition = faults.find((fault) => fault.fault === "networkPartition");
  t.true(partition !== undefined && partition.params.groups.flat().sort().join() === [...hosts].sort().join());
  t.deepEqual(parseFaultSchedule(formatFaultSchedule(faults), "generated"), faults, "a generated schedule is valid JSONL");
});

test("a node is not faulted again while it is down or paused", (t) => {
  const faults = faultSchedule(new RandomSim("busy"), options({ rates: { crash: 200, pause: 200 }, nodes: ["only"], downtimeUsMean: 60_000_000 }));
  let down = false;
  for (const fault of faults) {
    if (fault.fault === "crash" || fault.fault === "pause") {
      t.false(down, `fault at ${fault.timeUs}us hits a node already down`);
      down = true;
    } else {
      down = false;
    }
  }
});

test("the same seed gives the same schedule; adding a kind does not move another kind's faults", (t) => {
  const crashes = options({ rates: { crash: 30 } });
  const a = faultSchedule(new RandomSim("same"), crashes);
  t.deepEqual(faultSchedule(new RandomSim("same"), crashes), a);
  const both = faultSchedule(new RandomSim("same"), options({ rates: { crash: 30, linkLoss: 50 } }));
  t.deepEqual(both.filter((fault) => fault.fault === "crash" || fault.fault === "restart"), a);
  t.notDeepEqual(faultSchedule(new RandomSim("other"), crashes), a);
});

test("no rates, no faults; bad options are rejected naming every problem", (t) => {
  t.deepEqual(faultSchedule(new RandomSim("none"), options()), []);
  const error = t.throws(() => faultSchedule(new RandomSim("bad"), options({
    rates: { crash: -1, networkPartition: 1, spotPreempt: 2, meteor: 1 } as never, hosts: ["h0"], spotNodes: [],
  })), { instanceOf: SsmsError })!;
  t.regex(error.message, /rates\.crash must be a finite number ≥ 0/);
  t.regex(error.message, /rates\.meteor: unknown fault kind/);
  t.regex(error.message, /rates\.networkPartition > 0 needs at least 2 hosts/);
  t.regex(error.message, /rates\.spotPreempt > 0 needs at least 1 node in spotNodes/);
});
