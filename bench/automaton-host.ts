// Benchmark: committed automaton steps per second through the automaton host (decode the input
// envelope, run the handler, encode one event and one out-message, submit, apply), on one
// physical DARQ over LogDeviceMemory. A ring of relay automata: each step emits one event and
// forwards the message to the next relay on the same DARQ until its hop budget is spent.
// Compared with bench/darq-memory (raw steps), the gap is the runtime's own cost per step.
// `npm run bench -- automaton-host [--automata 1000] [--steps 1000000] [--snapshot-every 1000]`

import { performance } from "node:perf_hooks";
import { LogDeviceMemory } from "../engine/io/log-device-memory.ts";
import { ClockNode } from "../engine/io/node/clock-node.ts";
import type { Transport } from "../engine/io/transport.ts";
import { PhysicalDarq } from "../engine/darq/index.ts";
import { defineAutomaton } from "../engine/runtime/automaton.ts";
import { AutomatonHost } from "../engine/runtime/automaton-host.ts";
import { messageEncode } from "../engine/runtime/codec.ts";
import type { AutomatonRef } from "../engine/runtime/ids.ts";
import type { BenchResult } from "./run.ts";

type Hop = { hops: number; next: number };

function relayDefinition(automata: number) {
  const refs: AutomatonRef<Hop>[] = [];
  const relay = defineAutomaton<{ seen: number }, Hop, number>({
    type: "relay",
    initial: () => ({ seen: 0 }),
    handle(ctx, _state, message) {
      ctx.emit(message.hops);
      if (message.hops > 0) ctx.send(refs[message.next]!, { hops: message.hops - 1, next: (message.next + 1) % automata });
    },
    apply(state) {
      state.seen++;
      return state;
    },
  });
  for (let index = 0; index < automata; index++) refs.push(relay.ref(String(index)));
  return { relay, refs };
}

function argument(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a non-negative integer, got ${args[at + 1]}`);
  return value;
}

export async function run(args: string[]): Promise<BenchResult> {
  const automata = argument(args, "--automata", 1000);
  const hops = Math.max(1, Math.floor(argument(args, "--steps", 1_000_000) / automata) - 1);
  const snapshotEverySteps = argument(args, "--snapshot-every", 1000);
  const expected = automata * (hops + 1);
  const clock = new ClockNode();
  const transport: Transport = { send() {}, listen() {}, unlisten() {} };
  const darq = PhysicalDarq.open({
    device: new LogDeviceMemory(), clock, transport, router: { resolve: () => undefined, invalidate: () => {} },
    address: "bench", config: { batchRecordsMax: 1024, commitPeriodUs: 1000, batchBytesMax: 64 * 1024 * 1024 },
  });
  const { relay, refs } = relayDefinition(automata);
  let ready = 0;
  let started = 0;
  let cpuStarted = process.cpuUsage();
  const hosts = refs.map((ref) => new AutomatonHost(relay, ref, {
    darq, clock, config: { snapshotEverySteps },
    onReport: (report) => {
      if (report.kind === "ended") throw new Error(report.reason.reason);
      if (report.kind !== "ready" || ++ready < automata) return;
      started = performance.now();
      cpuStarted = process.cpuUsage();
      refs.forEach((to, index) => darq.enqueue(to, "bench", index + 1, messageEncode(to, { hops, next: (index + 1) % automata }), () => {}));
    },
  }));
  for (const host of hosts) host.start();
  const seconds = await new Promise<number>((resolve) => {
    const poll = (): void => {
      const durable = hosts.reduce((sum, host) => sum + host.stats.stepsDurable, 0);
      if (durable >= expected) resolve((performance.now() - started) / 1000);
      else clock.timerStart(2_000, poll);
    };
    clock.timerStart(2_000, poll);
  });
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  darq.stop();
  const snapshots = hosts.reduce((sum, host) => sum + host.stats.snapshots, 0);
  process.stderr.write(`automaton-host: ${expected} steps in ${seconds.toFixed(2)} s over ${automata} automata, ` +
    `${snapshots} snapshots\n`);
  return { bench: "automaton-host", value: Math.round(expected / seconds), unit: "steps/s",
    stepsPerCpuSecond: Math.round(expected / cpuSeconds), automata, steps: expected, snapshotEverySteps, seconds };
}
