// The README's cluster example, run as a test so it cannot rot: define an automaton, send it
// messages through a client, crash the DARQ node that holds it and the compute node that runs it,
// restart them, and read its state — committed exactly once, with no recovery code in the
// automaton. The README quotes the body of `example()` verbatim.

import test from "ava";
import { deepStrictEqual } from "node:assert/strict";
import { defineAutomaton } from "../../engine/runtime/automaton.ts";
import { SimCluster } from "./sim-cluster.ts";

type State = { count: number };
type Message = { type: "add"; amount: number } | { type: "get" };
type Event = { added: number };

// 1. Define: types first, then plain functions. No checkpoint, retry or recovery code.
const counter = defineAutomaton<State, Message, Event>({
  type: "counter",
  initial: () => ({ count: 0 }),
  handle(ctx, state, message) {
    if (message.type === "add") ctx.emit({ added: message.amount });
    else ctx.reply?.({ count: state.count });
  },
  apply: (state, event) => ({ count: state.count + event.added }),
});

function example(): void {
  // 2. A simulated cloud: two DARQ nodes on SSD, two VMs, Azure prices and latencies.
  const cluster = new SimCluster({
    seed: "readme", profile: "azure-2024",
    darqNodes: [{ name: "d1", tier: "ssd", zone: "z1" }, { name: "d2", tier: "ssd", zone: "z1" }],
    computeNodes: [{ name: "vm1", kind: "vm", size: "D4s_v3", zone: "z1" }, { name: "vm2", kind: "vm", size: "D4s_v3", zone: "z1" }],
    placement: { policy: "round-robin" },
  }, [counter]);

  // 3. Send: the automaton is activated on its first message; each send is exactly once.
  const client = cluster.client("readme");
  const alice = counter.ref("alice");
  client.send(alice, { type: "add", amount: 2 });
  client.send(alice, { type: "add", amount: 3 });
  cluster.runFor(1_000_000); // one simulated second

  // 4. Crash the machines that hold and run it, send more meanwhile, restart them.
  const home = cluster.metadata!.automata[alice]!;
  cluster.crashDarqNode(home.darqNode);
  cluster.crashComputeNode(home.computeNode!);
  client.send(alice, { type: "add", amount: 5 }); // retried until the DARQ is back
  cluster.runFor(500_000);
  cluster.restartDarqNode(home.darqNode);
  cluster.restartComputeNode(home.computeNode!);
  cluster.runFor(5_000_000);

  // 5. Read its committed state, and ask it for a reply.
  let read: unknown;
  client.readState(counter, "alice", (state) => (read = state.ok ? state.value : state.reason));
  let replied: unknown;
  client.ask(alice, { type: "get" }, (reply) => (replied = reply.ok ? reply.value : reply.reason));
  cluster.runFor(1_000_000);
  deepStrictEqual(read, { count: 10 });
  deepStrictEqual(replied, { count: 10 });
}

test("README cluster example: messages survive crashes of the DARQ and compute nodes, exactly once", (t) => {
  example();
  t.pass();
});
