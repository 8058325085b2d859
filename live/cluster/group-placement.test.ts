// The live cluster and the simulated one place by the same co-location rule
// (engine/runtime/group-placement.ts): for a pi chain on three DARQ machines with spare cores,
// every automaton the workload lists, and one it does not, lands on the same DARQ and compute
// node in both, under each co-location setting and with a node down.

import test from "ava";
import type { Colocation } from "../../engine/runtime/group-placement.ts";
import type { ComputeNodeInfo, DarqNodeInfo } from "../../engine/runtime/placement.ts";
import { groupPlacement as simPlacement } from "../../sim/cluster/executor-placement.ts";
import { RandomSim } from "../../sim/random-sim.ts";
import { workloadDriverOf } from "../../workloads/index.ts";
import { groupPlacement as livePlacement } from "./group-placement.ts";

function pools(down: string | null): { compute: ComputeNodeInfo[]; darq: DarqNodeInfo[] } {
  const ids = ["n1", "n2", "n3"];
  const darq = ids.map((id) => ({ id, tier: "ssd" as const, pool: "darq:file", zone: "local", up: id !== down }));
  const compute = ids.map((id) => ({ id: `${id}-c`, kind: "darq-spare" as const, pool: `spare:${id}`, zone: "local", cores: 1, darqNode: id, up: id !== down }));
  return { compute, darq };
}

test("live and simulated group placement choose the same nodes", (t) => {
  const built = workloadDriverOf({ kind: "pi-chain", chainCount: 5, computeScale: 1 }, { random: new RandomSim("placement").fork("workload"), mode: "sim" });
  if (!built.ok) return t.fail(built.reason);
  const driver = built.value;
  const ids = [...driver.automata(), "pi/99.7"];
  const load = { placedCount: 0, automataByNode: {} };
  for (const colocation of ["none", "darq", "darq-and-compute"] as const satisfies readonly Colocation[]) {
    const layout = {
      darqNodes: ["n1", "n2", "n3"], computeNodes: [], spareOf: new Map([["n1", "n1-c"], ["n2", "n2-c"], ["n3", "n3-c"]]),
      serverlessNodes: new Set<string>(), spotNodes: [], colocation, darqVmSize: "D8s_v3",
    };
    const sim = simPlacement(driver, layout);
    const live = livePlacement([driver], colocation);
    for (const down of [null, "n2"]) {
      const choices = ids.map((id) => sim(id, "pi", pools(down), load));
      t.deepEqual(ids.map((id) => live(id, "pi", pools(down), load)), choices, `${colocation}, down: ${down}`);
      t.false(choices.some((choice) => choice === null || choice.darqNode === down), "every automaton placed on an up node");
      const darqsOfChain0 = new Set(choices.slice(0, 2).map((choice) => choice!.darqNode));
      if (colocation !== "none") t.is(darqsOfChain0.size, 1, `${colocation}: a chain's two members share a DARQ`);
      else if (down === null) t.is(darqsOfChain0.size, 2, "none: a chain's two members are spread over two DARQs");
    }
  }
});
