// Metadata operations are resilient workflows (runtime issue item 5): for each operation —
// activate, deactivate, re-activate a dormant automaton, recover after a compute node dies,
// migrate a logical DARQ (with and without its processor), move a processor, add a standby,
// remove it, fail over to it — the metadata worker is crashed at every step: just before each action, just after
// issuing it, just before reporting its outcome, just after reporting it, and (harder) with its
// whole DARQ node crashing right after each action or report, which loses whatever was not yet
// durable. A migration is also run with its source or its target DARQ node crashing (and
// restarting) after each action and report. Every run
// must end like the fault-free one: the operation completed exactly once, the automaton's state
// is exactly what its messages make it, and the audit finds nothing leaked or doubled (no orphan
// logical DARQ, no catalog row without a record, exactly one processor where one should run).

import test, { type ExecutionContext } from "ava";
import { counter } from "../../engine/runtime/example-counter.ts";
import type { OpKind } from "../../engine/runtime/metadata-types.ts";
import { clusterAudit } from "./cluster-audit.ts";
import type { SimClusterConfig } from "./cluster-config.ts";
import { SimCluster } from "./sim-cluster.ts";

const config: SimClusterConfig = {
  seed: "metadata-crash", profile: "azure-2024",
  darqNodes: [{ name: "d1", tier: "ssd", zone: "z1" }, { name: "d2", tier: "ssd", zone: "z1" }, { name: "d3", tier: "ssd", zone: "z1" }],
  computeNodes: [{ name: "c1", kind: "vm", size: "D2s_v3", zone: "z1" }, { name: "c2", kind: "vm", size: "D2s_v3", zone: "z1" }],
  placement: { policy: "round-robin" }, failureDetectUs: 50_000,
};

const alice = counter.ref("alice");
const settleUs = 30_000_000;

type Scenario = {
  readonly name: string;
  readonly kind: OpKind;
  /** Brings the cluster to the point before the operation under test. */
  readonly before: (cluster: SimCluster) => void;
  /** Starts the operation under test. */
  readonly start: (cluster: SimCluster) => void;
  /** Count the client's adds: the counter's committed value must equal it. */
  readonly count: number;
  readonly dormant: boolean;
  /** The DARQ nodes a migration moves between (crashed too, in the "source"/"target" runs). */
  readonly moves?: (cluster: SimCluster) => { readonly source: string; readonly target: string };
  /** What else must hold at the end (null: fine), e.g. where the automaton lives. */
  readonly expect?: (cluster: SimCluster, nodes: { readonly source: string; readonly target: string } | undefined) => string | null;
};

/** Alice's DARQ node now, and the one a migration takes her to (neither the metadata node). */
function moves(cluster: SimCluster): { source: string; target: string } {
  const source = cluster.metadata!.automata[alice]!.darqNode;
  const target = ["d2", "d3"].find((node) => node !== source)!;
  return { source, target };
}

function onTarget(cluster: SimCluster, nodes: { readonly target: string } | undefined): string | null {
  const { darqNode } = record(cluster);
  return darqNode === nodes!.target && cluster.darqNode(darqNode)!.darq.hosts(alice) ? null : `on ${darqNode}, not ${nodes!.target}`;
}

function record(cluster: SimCluster): { darqNode: string; computeNode: string | null; standby?: string | null } {
  return cluster.metadata!.automata[alice]!;
}

function send(cluster: SimCluster, amount: number): void {
  cluster.client("c").send(alice, { type: "add", amount });
}

const scenarios: readonly Scenario[] = [
  { name: "activate", kind: "activate", before: () => undefined, start: (cluster) => send(cluster, 1), count: 1, dormant: false },
  {
    name: "deactivate", kind: "deactivate", count: 1, dormant: true,
    before: (cluster) => send(cluster, 1),
    start: (cluster) => cluster.request({ type: "deactivate", id: alice }),
    // Nothing was left unconsumed: its logical DARQ is parked in the record, hosted nowhere.
    expect: (cluster) => {
      const hosts = cluster.darqNodeNames().filter((node) => cluster.darqNode(node)?.darq.hosts(alice));
      return cluster.metadata!.automata[alice]!.parked !== undefined && hosts.length === 0 ? null : `not parked; hosted on ${hosts.join()}`;
    },
  },
  {
    name: "re-activate a dormant automaton", kind: "activate", count: 3, dormant: false,
    before: (cluster) => {
      send(cluster, 1);
      cluster.runFor(settleUs);
      cluster.request({ type: "deactivate", id: alice });
    },
    start: (cluster) => send(cluster, 2),
    expect: (cluster) => (cluster.metadata!.automata[alice]!.parked === undefined ? null : "still parked"),
  },
  {
    name: "recover after its compute node died", kind: "recover", count: 3, dormant: false,
    before: (cluster) => send(cluster, 1),
    start: (cluster) => {
      cluster.crashComputeNode(cluster.metadata!.automata[alice]!.computeNode!);
      send(cluster, 2);
    },
  },
  {
    name: "migrate its logical DARQ (messages in flight)", kind: "migrate", count: 3, dormant: false, moves,
    before: (cluster) => send(cluster, 1),
    start: (cluster) => {
      cluster.request({ type: "migrate", id: alice, darqNode: moves(cluster).target });
      send(cluster, 2);
    },
    expect: onTarget,
  },
  {
    name: "migrate its logical DARQ and its processor", kind: "migrate", count: 3, dormant: false, moves,
    before: (cluster) => send(cluster, 1),
    start: (cluster) => {
      const computeNode = record(cluster).computeNode === "c1" ? "c2" : "c1";
      cluster.request({ type: "migrate", id: alice, darqNode: moves(cluster).target, computeNode });
      send(cluster, 2);
    },
    expect: onTarget,
  },
  {
    name: "move its processor", kind: "moveCompute", count: 3, dormant: false,
    before: (cluster) => send(cluster, 1),
    start: (cluster) => {
      cluster.request({ type: "moveCompute", id: alice, computeNode: record(cluster).computeNode === "c1" ? "c2" : "c1" });
      send(cluster, 2);
    },
  },
  {
    name: "add a standby", kind: "addStandby", count: 3, dormant: false,
    before: (cluster) => send(cluster, 1),
    start: (cluster) => {
      cluster.request({ type: "addStandby", id: alice });
      send(cluster, 2);
    },
    expect: (cluster) => {
      const { computeNode, standby } = record(cluster);
      const tails = standby === undefined || standby === null ? [] : cluster.computeNode(standby)?.standbyIds() ?? [];
      return standby !== computeNode && tails.includes(alice) ? null : `standby ${standby} (tails ${tails.join()})`;
    },
  },
  {
    name: "remove its standby", kind: "removeStandby", count: 3, dormant: false,
    before: (cluster) => {
      send(cluster, 1);
      cluster.runFor(settleUs);
      cluster.request({ type: "addStandby", id: alice });
    },
    start: (cluster) => {
      cluster.request({ type: "removeStandby", id: alice });
      send(cluster, 2);
    },
    // No standby in the record, none tailing anywhere, the primary where it was.
    expect: (cluster) => {
      const tailing = cluster.computeNodeNames().filter((node) => cluster.computeNode(node)?.standbyIds().includes(alice));
      return record(cluster).standby == null && tailing.length === 0 ? null : `standby ${record(cluster).standby} (tailing on ${tailing.join()})`;
    },
  },
  {
    name: "fail over to its standby after its compute node died", kind: "failover", count: 3, dormant: false,
    before: (cluster) => {
      send(cluster, 1);
      cluster.runFor(settleUs);
      cluster.request({ type: "addStandby", id: alice });
    },
    start: (cluster) => {
      cluster.crashComputeNode(record(cluster).computeNode!);
      send(cluster, 2);
    },
    // The standby node (the only other one) now runs the primary, and no standby is left.
    expect: (cluster) => (record(cluster).standby == null ? null : `standby ${record(cluster).standby} left`),
  },
];

type How = "sync" | "after" | "darq" | "source" | "target";
type CrashPoint = { readonly hook: "action" | "progress"; readonly index: number; readonly how: How };

/** Crashes (and restarts 20 ms later) a DARQ node. */
function darqBlip(cluster: SimCluster, node: string): void {
  cluster.crashDarqNode(node);
  cluster.sim.clock.timerStart(20_000, () => cluster.restartDarqNode(node));
}

/** Runs a scenario, crashing at `crash` (if given); answers how many hook calls the op made. */
function run(scenario: Scenario, crash: CrashPoint | null): {
  cluster: SimCluster; actions: number; progress: number; nodes: { source: string; target: string } | undefined;
} {
  const cluster = new SimCluster(config, [counter]);
  scenario.before(cluster);
  cluster.runFor(settleUs);
  const finishedBefore = cluster.metadata!.opsFinished[scenario.kind];
  const nodes = scenario.moves?.(cluster);
  const seen = { action: 0, progress: 0 };
  const hit = (hook: "action" | "progress"): void => {
    seen[hook]++;
    if (crash === null || crash.hook !== hook || crash.index !== seen[hook]) return;
    if (crash.how === "sync") return cluster.restartMetadataWorker();
    cluster.sim.clock.timerStart(0, () => {
      if (crash.how === "after") return cluster.restartMetadataWorker();
      darqBlip(cluster, crash.how === "darq" ? cluster.metadataNode : nodes![crash.how as "source" | "target"]);
    });
  };
  cluster.metadataHooks.onAction = () => hit("action");
  cluster.metadataHooks.onProgress = () => hit("progress");
  scenario.start(cluster);
  cluster.runFor(settleUs);
  cluster.metadataHooks.onAction = undefined;
  cluster.metadataHooks.onProgress = undefined;
  const finished = cluster.metadata!.opsFinished[scenario.kind] - finishedBefore;
  return { cluster, actions: seen.action, progress: seen.progress, nodes, ...{ finished } };
}

function check(t: ExecutionContext, scenario: Scenario, crash: CrashPoint | null): void {
  const where = crash === null ? "fault-free" : `crash ${crash.how} ${crash.hook} #${crash.index}`;
  const outcome = run(scenario, crash) as ReturnType<typeof run> & { finished: number };
  const { cluster } = outcome;
  // A DARQ node crash may add recoveries (its automata's processors died too), never a second
  // completion of the operation under test unless that operation is itself a recovery.
  const extraAllowed = crash !== null && crash.how !== "sync" && crash.how !== "after" && scenario.kind === "recover" ? 1 : 0;
  t.true(outcome.finished >= 1 && outcome.finished <= 1 + extraAllowed,
    `${scenario.name}, ${where}: the operation completed ${outcome.finished} times`);
  t.is(cluster.metadata!.automata[alice]?.computeNode === null, scenario.dormant, `${scenario.name}, ${where}: dormant?`);
  t.is(cluster.stateOf(counter, "alice")?.count, scenario.count, `${scenario.name}, ${where}: counter value`);
  t.is(scenario.expect?.(cluster, outcome.nodes) ?? null, null, `${scenario.name}, ${where}: outcome`);
  let problems: string[] | null = null;
  clusterAudit(cluster, (found) => {
    problems = found;
  });
  cluster.runFor(1_000_000);
  t.deepEqual(problems, [], `${scenario.name}, ${where}: audit`);
}

for (const scenario of scenarios) {
  test(`metadata ${scenario.name}: completes exactly once and leaks nothing when the metadata worker crashes at every step`, (t) => {
    const baseline = run(scenario, null);
    check(t, scenario, null);
    t.true(baseline.actions >= 1 && baseline.progress >= 1, `${scenario.name}: the operation took no actions`);
    let runs = 0;
    for (const hook of ["action", "progress"] as const) {
      const count = hook === "action" ? baseline.actions : baseline.progress;
      for (let index = 1; index <= count; index++) {
        const hows: readonly How[] = scenario.moves === undefined ? ["sync", "after", "darq"] : ["sync", "after", "darq", "source", "target"];
        for (const how of hows) {
          check(t, scenario, { hook, index, how });
          runs++;
        }
      }
    }
    t.log(`${scenario.name}: ${baseline.actions} actions, ${baseline.progress} reports, ${runs} crash runs`);
  });
}
