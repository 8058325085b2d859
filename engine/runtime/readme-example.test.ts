// Runs the example of engine/runtime/README.md — define an automaton, send it messages, crash
// the machine, restart, read the state — and proves the README shows exactly this code.

import test from "ava";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

// readme:start
import { deepStrictEqual } from "node:assert/strict";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { LinkModelConstant, TransportSim } from "../../sim/transport-sim.ts";
import { PhysicalDarq } from "../darq/index.ts";
import { defineAutomaton } from "./automaton.ts";
import { RuntimeLocal } from "./runtime-local.ts";

type State = { count: number };
type Message = { type: "add"; amount: number } | { type: "reset" };
type Event = { added: number } | { reset: true };

// 1. Define: types first, then plain functions. No checkpoint, retry or recovery code.
const counter = defineAutomaton<State, Message, Event>({
  type: "counter",
  initial: () => ({ count: 0 }),
  handle(ctx, _state, message) {
    if (message.type === "add") ctx.emit({ added: message.amount });
    else ctx.emit({ reset: true });
  },
  apply: (state, event) => ("added" in event ? { count: state.count + event.added } : { count: 0 }),
});

function example(): void {
  // A simulated machine: virtual time, a log device that can lose power, a network.
  const sim = new Simulator({ seed: "readme" });
  const device = new LogDeviceSim({ clock: sim.clock, random: sim.random.fork("disk"), flushLatencyUs: 100 });
  const transport = new TransportSim(sim.queue, new LinkModelConstant({ latencyUsDefault: 200 }));
  const router = { resolve: () => undefined, invalidate: () => undefined };
  const boot = (): RuntimeLocal => {
    const darq = PhysicalDarq.open({ device, clock: sim.clock, transport, router, address: "darq-1" });
    const runtime = new RuntimeLocal({ darq, clock: sim.clock, definitions: [counter] });
    runtime.recover(); // restarts every automaton the log holds; a fresh log holds none
    return runtime;
  };

  // 2. Send: the automaton is activated by its first message. (producer, seq) makes it exactly once.
  let runtime = boot();
  const alice = counter.ref("alice");
  runtime.send(alice, { type: "add", amount: 2 }, { producer: "readme", seq: 1 });
  runtime.send(alice, { type: "add", amount: 3 }, { producer: "readme", seq: 2 });
  runtime.send(alice, { type: "add", amount: 3 }, { producer: "readme", seq: 2 }); // a retry: dropped
  sim.runFor(10_000);
  deepStrictEqual(runtime.stateOf(counter, "alice"), { count: 5 });

  // 3. Crash: the machine loses power, and with it every object in memory.
  runtime.darq.stop();
  device.crash();

  // 4. Restart and read: the state is rebuilt from the log.
  runtime = boot();
  sim.runFor(10_000);
  deepStrictEqual(runtime.stateOf(counter, "alice"), { count: 5 });
}
// readme:end

test("the README example runs: send, crash, restart, the state is recovered", (t) => {
  t.notThrows(example);
});

test("the README shows the example's code verbatim", (t) => {
  const source = readFileSync(join(here, "readme-example.test.ts"), "utf8");
  const example = source.slice(source.indexOf("// readme:start\n") + 16, source.indexOf("// readme:end"));
  const readme = readFileSync(join(here, "README.md"), "utf8");
  t.true(readme.includes(example.trim()), "engine/runtime/README.md contains the example between its ```ts fences");
});
