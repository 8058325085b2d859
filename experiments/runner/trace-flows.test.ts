// A traced run of the simulated cluster, written as a Perfetto trace: proves that messages appear
// as flows between steps. A pi chain on two VMs without co-location sends every task to a chain
// member on the other node; the file must be valid JSON whose every flow start has exactly one
// flow end with its id, both on the start of a step slice of their own track (where Perfetto and
// the Chrome viewer bind them) and written after the slices; every step but each chain's first
// consumes a traced message; the arrows cross nodes; and a track's slices nest, as Perfetto
// requires of a thread's slices.

import test from "ava";
import type { Experiment } from "../schema.ts";
import { traceJson } from "../results/trace-writer.ts";
import { executePointSim } from "../../sim/cluster/point-executor.ts";

type ChromeEvent = { ph: string; name: string; cat?: string; pid: number; tid: number; ts?: number; dur?: number; id?: number; bp?: string };

const chains = 2;
const config: Experiment = {
  name: "trace-flows", seed: 7, mode: "sim", durationS: 0.05,
  workload: { kind: "pi-chain", chainCount: chains, computeScale: 1 },
  cluster: {
    profile: "azure-2024",
    compute: [{ name: "vm", kind: "vm", size: "D4s_v3", count: 2 }, { name: "spare", kind: "darq-spare", count: 2 }],
    darq: [{ name: "darq", tier: "hot-replicated", count: 2 }],
  },
  placement: { policy: "groups", colocation: "none" },
};

function tracedEvents(): ChromeEvent[] {
  const result = executePointSim(config, "trace-flows", { pointIndex: 0, replication: 0, baseDir: ".", trace: true, timeseriesIntervalUs: 50_000 });
  const parsed = JSON.parse(traceJson(result.trace ?? [])) as { otherData: Record<string, unknown>; traceEvents: ChromeEvent[] };
  return parsed.traceEvents;
}

test("every message of a traced pi chain is a flow from the sending step's slice to the consuming step's", (t) => {
  const events = tracedEvents();
  const slices = events.filter((event) => event.ph === "X");
  const starts = events.filter((event) => event.ph === "s");
  const finishes = new Map(events.filter((event) => event.ph === "f").map((event) => [event.id, event]));
  t.true(slices.length > 20, `the run traced ${slices.length} steps`);
  t.is(starts.length, slices.length - chains, "every step but each chain's first consumed a message a traced step sent");
  t.is(finishes.size, starts.length, "one flow end per flow start, ids unique");
  const sliceStarts = new Set(slices.map((slice) => `${slice.pid}:${slice.tid}:${slice.ts}`));
  const lastSlice = events.lastIndexOf(slices.at(-1)!);
  for (const start of starts) {
    const finish = finishes.get(start.id);
    if (finish === undefined) return t.fail(`flow ${start.id} has no end`);
    t.true(sliceStarts.has(`${start.pid}:${start.tid}:${start.ts}`) && sliceStarts.has(`${finish.pid}:${finish.tid}:${finish.ts}`), `flow ${start.id} is bound to two slice starts`);
    t.is(finish.bp, "e");
    t.true(start.cat === "step" && finish.cat === "step", "flows share the slices' category");
    t.true(finish.ts! > start.ts!, "a message is consumed after its step began");
    t.not(start.pid, finish.pid, "without co-location every task moves to the other node");
    t.true(events.indexOf(start) > lastSlice && events.indexOf(finish) > lastSlice);
  }
});

test("the slices of one automaton's track nest (they do not partly overlap)", (t) => {
  const byTrack = new Map<string, ChromeEvent[]>();
  for (const slice of tracedEvents().filter((event) => event.ph === "X")) {
    const key = `${slice.pid}:${slice.tid}`;
    byTrack.set(key, [...(byTrack.get(key) ?? []), slice]);
  }
  t.true(byTrack.size >= chains * 2, "each chain member has its track");
  for (const [key, slices] of byTrack) {
    const sorted = slices.toSorted((a, b) => a.ts! - b.ts!);
    for (let index = 1; index < sorted.length; index++) {
      const before = sorted[index - 1]!;
      t.true(sorted[index]!.ts! >= before.ts! + before.dur!, `track ${key}: the slice at ${sorted[index]!.ts} starts inside the one at ${before.ts}`);
    }
  }
});
