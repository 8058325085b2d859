// Pool changes that replace running nodes, applied in the middle of a run of eight counters fed
// by one client: every automaton ends on the new VM size (or storage tier), the old nodes are gone
// and billed only until they were given back, and each counter's count and step count equal those of the same
// run without the change (nothing lost, nothing applied twice). Two runs with the same seed end
// identically. A standby removed mid-run stops tailing and leaves the record.

import test from "ava";
import { counter } from "../../engine/runtime/example-counter.ts";
import { decide, type Decision } from "../../policies/decision.ts";
import type { SimClusterConfig } from "../cluster/cluster-config.ts";
import { SimCluster } from "../cluster/sim-cluster.ts";
import { DecisionActuators } from "./actuators.ts";
import { PoolRegistry } from "./actuators-pools.ts";
import { PlacementOverrides } from "./placement-policy.ts";

const config: SimClusterConfig = {
  seed: "rescale", profile: "azure-2024",
  darqNodes: [{ name: "darq-0", tier: "hot-replicated", zone: "z1" }, { name: "darq-1", tier: "hot-replicated", zone: "z1" }],
  computeNodes: [{ name: "vm-0", kind: "vm", size: "D4s_v3", zone: "z1" }, { name: "vm-1", kind: "vm", size: "D4s_v3", zone: "z1" }],
  placement: { policy: "round-robin" },
};

const automata = Array.from({ length: 8 }, (_, index) => `k${index}`);
const sendEveryUs = 20_000;
const sendUntilUs = 3_000_000;
const decideAtUs = 1_000_000;
const tickEveryUs = 200_000;

type Run = { cluster: SimCluster; actuators: DecisionActuators; sent: number; removedAtUs: Map<string, number> };

/** Feeds the counters, applies `decision` (if any) at 1 s and ticks the actuators like a manager. */
function runWith(decision: Decision | null, earlier: readonly Decision[] = []): Run {
  const cluster = new SimCluster(config, [counter]);
  const registry = new PoolRegistry([
    { name: "vm", kind: "vm", size: "D4s_v3", zones: ["z1"], nodes: ["vm-0", "vm-1"] },
    { name: "darq", kind: "darq", zones: ["z1"], nodes: ["darq-0", "darq-1"] },
  ]);
  const actuators = new DecisionActuators(cluster, new PlacementOverrides(), registry);
  const client = cluster.client("c");
  const run: Run = { cluster, actuators, sent: 0, removedAtUs: new Map() };
  const clock = cluster.sim.clock;
  const send = (): void => {
    client.send(counter.ref(automata[run.sent % automata.length]!), { type: "add", amount: 1 + (run.sent % 5) });
    run.sent++;
    if (clock.nowUs() + sendEveryUs < sendUntilUs) clock.timerStart(sendEveryUs, send);
  };
  clock.timerStart(sendEveryUs, send);
  const tick = (): void => {
    actuators.tick();
    for (const node of ["vm-0", "vm-1", "darq-0", "darq-1"]) {
      if (!cluster.computeMachines.has(node) && !cluster.darqMachines.has(node) && !run.removedAtUs.has(node)) run.removedAtUs.set(node, clock.nowUs());
    }
    if (clock.nowUs() + tickEveryUs < sendUntilUs + 2_000_000) clock.timerStart(tickEveryUs, tick);
  };
  clock.timerStart(tickEveryUs, tick);
  const apply = (one: Decision): void => {
    if (actuators.apply(one) !== null) throw new Error(`refused: ${actuators.log.at(-1)!.why}`);
  };
  if (earlier.length > 0) clock.timerStart(decideAtUs / 2, () => earlier.forEach(apply));
  if (decision !== null) clock.timerStart(decideAtUs, () => apply(decision));
  cluster.runFor(sendUntilUs + 3_000_000);
  return run;
}

function finalStates(run: Run): Record<string, [number, number]> {
  return Object.fromEntries(automata.map((key) => {
    const state = run.cluster.stateOf(counter, key);
    return [key, [state?.count ?? -1, state?.steps ?? -1]];
  }));
}

let baseline: Record<string, [number, number]> | null = null;
function baselineStates(): Record<string, [number, number]> {
  baseline ??= finalStates(runWith(null));
  return baseline;
}

function billedUntil(run: Run, vm: string): number {
  const record = run.cluster.ledger.toData().vms.find((entry) => entry.id === vm);
  if (record === undefined) throw new Error(`no ledger record for ${vm}`);
  return Math.max(...record.segmentsUs.map(([, endUs]) => endUs));
}

/** Standbys on vm-1 for the first four counters (those whose primary is on vm-1 get none). */
const standbysOnVm1 = automata.slice(0, 4).map((key) => decide.addStandby(counter.ref(key), "vm-1", "test"));

test("scaleCompute with a VM size moves every automaton (and standby) to new nodes of that size and gives the old ones back", (t) => {
  const run = runWith(decide.scaleCompute("vm", { size: "D8s_v3" }, "test"), standbysOnVm1);
  const { cluster, actuators } = run;
  t.deepEqual([...cluster.computeMachines.keys()].sort(), ["vm-2", "vm-3"]);
  t.true([...cluster.computeMachines.values()].every((machine) => machine.config.kind === "vm" && machine.config.size === "D8s_v3"));
  const records = Object.entries(cluster.metadata!.automata).filter(([id]) => id.startsWith("counter/"));
  t.is(records.length, automata.length);
  t.true(records.every(([, record]) => record.computeNode === "vm-2" || record.computeNode === "vm-3"), JSON.stringify(records));
  for (const old of ["vm-0", "vm-1"]) {
    t.true(run.removedAtUs.has(old), `${old} was given back`);
    t.true(billedUntil(run, old) <= run.removedAtUs.get(old)!, `${old} is billed only until it was given back`);
  }
  const standbys = records.filter(([, record]) => record.standby != null);
  t.true(standbys.length > 0, "the standbys came along");
  t.true(standbys.every(([, record]) => ["vm-2", "vm-3"].includes(record.standby!) && record.standby !== record.computeNode), JSON.stringify(standbys));
  t.is(actuators.computeRescale.running.size, 0, "the change is done");
  t.log(`moves asked ${actuators.computeRescale.stats.moves}, old nodes gone at ${JSON.stringify([...run.removedAtUs])} µs`);
  t.is(actuators.computeRescale.stats.finished, 1);
  t.true(cluster.metadata!.opsFinished.moveCompute >= 1);
  const states = finalStates(run);
  t.is(Object.values(states).reduce((sum, [count]) => sum + count, 0), Array.from({ length: run.sent }, (_, index) => 1 + (index % 5)).reduce((a, b) => a + b, 0));
  t.deepEqual(states, baselineStates(), "the same counts and steps as without the change");
  const again = runWith(decide.scaleCompute("vm", { size: "D8s_v3" }, "test"), standbysOnVm1);
  t.deepEqual([...again.removedAtUs], [...run.removedAtUs], "deterministic: the old nodes go at the same instants");
  t.deepEqual(again.cluster.metadata!.automata, cluster.metadata!.automata, "deterministic: the same records");
});

test("scaleStorage migrates every logical DARQ to new nodes of that tier and gives the old ones back", (t) => {
  const run = runWith(decide.scaleStorage("darq", "ssd", "test"));
  t.is(run.actuators.apply(decide.scaleStorage("darq", "ssd", "test")), null, "asked again once done: nothing to change");
  const { cluster, actuators } = run;
  t.deepEqual([...cluster.darqMachines.keys()].sort(), ["darq-0", "darq-2", "darq-3"], "the metadata DARQ node stays");
  for (const node of ["darq-2", "darq-3"]) t.is(cluster.darqMachine(node).config.tier, "ssd");
  const records = Object.entries(cluster.metadata!.automata).filter(([id]) => id.startsWith("counter/"));
  t.is(records.length, automata.length);
  t.true(records.every(([, record]) => record.darqNode === "darq-2" || record.darqNode === "darq-3"), JSON.stringify(records));
  t.deepEqual(cluster.automatonIds().filter((id) => (cluster.darqNode("darq-0")?.darq.logicalDarqs() ?? []).includes(id)), [],
    "no user logical DARQ is left on the old metadata node");
  t.true(run.removedAtUs.has("darq-1"), "darq-1 was given back");
  const storage = cluster.ledger.toData().storage.filter((entry) => entry.id.startsWith("darq-1"));
  t.true(storage.length > 0);
  t.true(storage.every((entry) => entry.closeUs <= run.removedAtUs.get("darq-1")!), "darq-1's storage is billed only until it was given back");
  t.is(actuators.storageRetier.running.size, 0, "the change is done");
  t.is(actuators.storageRetier.stats.started, 1);
  t.log(`migrates asked ${actuators.storageRetier.stats.migrations}, old node gone at ${JSON.stringify([...run.removedAtUs])} µs`);
  t.true(cluster.metadata!.opsFinished.migrate >= automata.length / 2);
  t.deepEqual(finalStates(run), baselineStates(), "the same counts and steps as without the change");
  const again = runWith(decide.scaleStorage("darq", "ssd", "test"));
  t.deepEqual([...again.removedAtUs], [...run.removedAtUs], "deterministic: the old node goes at the same instant");
  t.deepEqual(again.cluster.metadata!.automata, cluster.metadata!.automata, "deterministic: the same records");
});

test("removeStandby stops the standby mid-run and the record names none; the primaries go on", (t) => {
  const ids = automata.slice(0, 4).map((key) => counter.ref(key));
  const standbys = standbysOnVm1;
  const withStandbys = runWith(null, standbys);
  const standbyCount = (run: Run): number => Object.values(run.cluster.metadata!.automata).filter((record) => record.standby != null).length;
  const onVm0 = ids.filter((id) => withStandbys.cluster.metadata!.automata[id]!.computeNode === "vm-0");
  t.true(onVm0.length > 0 && standbyCount(withStandbys) === onVm0.length, "the standbys (beside primaries on vm-0) are in place without the removal");
  const run = runWith(decide.removeStandby(onVm0[0]!, "vm-1", "test"), standbys);
  const { cluster } = run;
  t.is(cluster.metadata!.automata[onVm0[0]!]!.standby ?? null, null);
  t.false(cluster.computeNode("vm-1")!.standbyIds().includes(onVm0[0]!), "no longer tailing on vm-1");
  t.is(standbyCount(run), onVm0.length - 1, "the other standbys stay");
  t.is(cluster.metadata!.opsFinished.removeStandby, 1);
  t.deepEqual(finalStates(run), baselineStates(), "the same counts and steps as without standbys");
  t.deepEqual(runWith(decide.removeStandby(onVm0[0]!, "vm-1", "test"), standbys).cluster.metadata!.automata, cluster.metadata!.automata, "deterministic");
});

test("a size or tier change to an unknown size or tier, or of the wrong kind of pool, is refused with the reason", (t) => {
  const cluster = new SimCluster(config, [counter]);
  const registry = new PoolRegistry([
    { name: "vm", kind: "vm", size: "D4s_v3", zones: ["z1"], nodes: ["vm-0", "vm-1"] },
    { name: "darq", kind: "darq", zones: ["z1"], nodes: ["darq-0", "darq-1"] },
  ]);
  const actuators = new DecisionActuators(cluster, new PlacementOverrides(), registry);
  t.regex(actuators.apply(decide.scaleCompute("vm", { size: "Z99" }, "test")) ?? "", /VM size 'Z99' is not in cloud profile/);
  t.regex(actuators.apply(decide.scaleCompute("darq", { size: "D8s_v3" }, "test")) ?? "", /only vm pools change VM size/);
  t.regex(actuators.apply(decide.scaleStorage("darq", "tape", "test")) ?? "", /storage tier 'tape' is neither/);
  t.regex(actuators.apply(decide.scaleStorage("vm", "ssd", "test")) ?? "", /only DARQ pools change storage tier/);
  t.is(actuators.refusedCount, 4);
});

test("DARQ nodes are added only with a new name and a known tier, and removed only when they host nothing", (t) => {
  const cluster = new SimCluster(config, [counter]);
  for (const key of ["a", "b"]) cluster.client("c").send(counter.ref(key), { type: "add", amount: 1 });
  cluster.runFor(500_000);
  t.throws(() => cluster.addDarqNode({ name: "darq-1", tier: "ssd", zone: "z1" }), { message: /node 'darq-1' already exists/ });
  t.throws(() => cluster.addDarqNode({ name: "darq-9", tier: "tape", zone: "z1" }), { message: /tier 'tape' is not a tier of azure-2024/ });
  t.throws(() => cluster.removeDarqNode("darq-0"), { message: /darq-0 hosts the metadata automaton/ });
  const onDarq1 = Object.entries(cluster.metadata!.automata).filter(([, record]) => record.darqNode === "darq-1").map(([id]) => id);
  t.is(onDarq1.length, 1, "round-robin put one of the two on darq-1");
  t.throws(() => cluster.removeDarqNode("darq-1"), { message: new RegExp(`still hosts ${onDarq1[0]}`) });
  cluster.addDarqNode({ name: "darq-9", tier: "blob", zone: "z1" });
  cluster.runFor(100_000);
  t.true(cluster.metadata!.darq.some((info) => info.id === "darq-9" && info.up), "the metadata hears of the new node");
  cluster.removeDarqNode("darq-9");
  cluster.runFor(100_000);
  t.false(cluster.darqMachines.has("darq-9"));
  t.false(cluster.metadata!.darq.some((info) => info.id === "darq-9"), "nor of the removed one");
  t.true(cluster.ledger.toData().storage.filter((entry) => entry.id.startsWith("darq-9")).every((entry) => entry.closeUs === 600_000));
});
