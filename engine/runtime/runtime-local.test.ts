// Proves virtual automata on one physical DARQ: an automaton is activated by its first message,
// from a client or from another automaton; replies reach the input's reply-to; after a crash
// `recover` restarts every automaton from the log; unknown types are refused with the known ones
// named.

import test from "ava";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { DarqCluster, TransportChaos, transportFaultsNone } from "../darq/darq-test-world.ts";
import { defineAutomaton } from "./automaton.ts";
import { counter } from "./example-counter.ts";
import type { PlainValue } from "./plain-data.ts";
import { RuntimeLocal } from "./runtime-local.ts";

const inbox = defineAutomaton<{ replies: PlainValue[] }, PlainValue, PlainValue>({
  type: "inbox",
  initial: () => ({ replies: [] }),
  handle: (ctx, _state, message) => ctx.emit(message),
  apply(state, event) {
    state.replies.push(event);
    return state;
  },
});

function world(seed: string) {
  const sim = new Simulator({ seed, eventsMax: 1_000_000 });
  const transport = new TransportChaos(sim.clock, sim.random.fork("transport"), transportFaultsNone);
  const cluster = new DarqCluster(sim.clock, transport,
    () => new LogDeviceSim({ clock: sim.clock, random: sim.random.fork("device"), flushLatencyUs: 100 }));
  cluster.add("d1");
  const boot = (): RuntimeLocal => {
    const runtime = new RuntimeLocal({ darq: cluster.darq("d1"), clock: sim.clock, definitions: [counter, inbox] });
    runtime.recover();
    return runtime;
  };
  return { sim, cluster, boot };
}

test("an automaton is activated by its first message, from a client or from another automaton", (t) => {
  const { sim, boot } = world("activation");
  const runtime = boot();
  t.is(runtime.host("counter/alice"), undefined, "nothing runs before a message");
  runtime.send(counter.ref("alice"), { type: "add", amount: 5 }, { producer: "p", seq: 1 });
  runtime.send(counter.ref("alice"), { type: "forward", amount: 2, to: counter.ref("bob") }, { producer: "p", seq: 2 });
  sim.runFor(20_000);
  t.like(runtime.stateOf(counter, "alice"), { count: 5, steps: 1 });
  t.like(runtime.stateOf(counter, "bob"), { count: 2, steps: 1 }, "bob was activated by alice's out-message");
  t.is(runtime.host("counter/bob")?.status, "running");
});

test("a reply goes to the reply-to named in the input's envelope", (t) => {
  const { sim, boot } = world("reply");
  const runtime = boot();
  runtime.send(counter.ref("c"), { type: "add", amount: 41 }, { producer: "p", seq: 1 });
  runtime.activate(inbox.ref("me"));
  runtime.send(counter.ref("c"), { type: "get" }, { producer: "p", seq: 2 }, undefined, inbox.ref("me"));
  sim.runFor(20_000);
  t.deepEqual(runtime.stateOf(inbox, "me"), { replies: [{ count: 41 }] });
});

test("after a crash, recover() restarts every automaton and its state is rebuilt", (t) => {
  const { sim, cluster, boot } = world("recover");
  let runtime = boot();
  for (let seq = 1; seq <= 20; seq++) {
    runtime.send(counter.ref(`k${seq % 4}`), { type: "add", amount: seq }, { producer: "p", seq });
  }
  sim.runFor(50_000);
  const before = [0, 1, 2, 3].map((k) => structuredClone(runtime.stateOf(counter, `k${k}`)));
  cluster.crash("d1");
  runtime = boot();
  sim.runFor(10_000);
  t.deepEqual([0, 1, 2, 3].map((k) => runtime.stateOf(counter, `k${k}`)), before);
  t.is(before.reduce((sum, state) => sum + (state?.count ?? 0), 0), 210, "every add counted once");
});

test("an id of an unknown type is refused with the known types named; duplicate types are refused", (t) => {
  const { boot, cluster, sim } = world("unknown");
  const runtime = boot();
  const activated = runtime.activate("cart/1");
  t.is(activated.ok ? "" : activated.code, ErrorCode.argumentInvalid);
  t.regex(activated.ok ? "" : activated.reason, /no automaton definition of type 'cart' \(for 'cart\/1'\); known types: counter, inbox/);
  t.throws(() => new RuntimeLocal({ darq: cluster.darq("d1"), clock: sim.clock, definitions: [counter, counter] }),
    { instanceOf: SsmsError, message: /two automaton definitions have the type 'counter'/ });
});
