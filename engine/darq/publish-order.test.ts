// What a durable batch lets leave leaves before the processors hear of the batch's new inputs.
// A live processor co-located with its DARQ runs its handler inside that announcement, computing
// for real; out-messages and acks queued behind it would wait for the handler, so a step's
// output would leave only after the next step on the node had run.

import test from "ava";
import type { Result } from "../io/result.ts";
import type { Address, Transport, TransportHandler } from "../io/transport.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, DarqCluster, TransportChaos, transportFaultsNone } from "./darq-test-world.ts";

/** A transport that logs sends and flushes into `events`, delivering through `inner`. */
class TransportLogged implements Transport {
  constructor(private readonly inner: Transport, private readonly events: string[]) {}

  send(from: Address, to: Address, message: unknown, sizeBytes: number): void {
    this.events.push(`send ${(message as { kind: string }).kind} ${from}→${to}`);
    this.inner.send(from, to, message, sizeBytes);
  }

  listen(address: Address, handler: TransportHandler): void {
    this.inner.listen(address, handler);
  }

  unlisten(address: Address): void {
    this.inner.unlisten(address);
  }

  flush(): void {
    this.events.push("flush");
  }
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

test("a batch's out-messages and acks are sent and flushed before its inputs are announced to processors", (t) => {
  const sim = new Simulator({ seed: "publish-order", eventsMax: 100_000 });
  const events: string[] = [];
  const transport = new TransportLogged(new TransportChaos(sim.clock, sim.random.fork("network"), transportFaultsNone), events);
  // No early seal: a batch stays open for the whole period, so what arrives meanwhile joins it.
  const cluster = new DarqCluster(sim.clock, transport, (address) => new LogDeviceSim({
    clock: sim.clock, random: sim.random.fork(`device/${address}`), flushLatencyUs: 200,
  }), { commitPeriodUs: 1_000, commitWhenIdle: false });
  const [a, b] = [cluster.add("A"), cluster.add("B")];
  cluster.host("A", "x");
  cluster.host("A", "y");
  cluster.host("B", "z");
  const incarnations = new Map<string, number>();
  const registered = (name: string) => (failure: unknown, incarnation: number) => void (failure === null && incarnations.set(name, incarnation));
  value(a.register("x", () => {}, registered("x")));
  value(a.register("y", (entry) => events.push(`input y lsn ${entry.lsn}`), registered("y")));
  value(b.register("z", () => {}, registered("z")));
  sim.run();
  events.length = 0;
  // z's message to y reaches A (100 µs) while x's step, sending to z, waits in A's open batch.
  value(a.submitStep({ logicalDarq: "x", incarnation: incarnations.get("x")!, consumed: [], self: [bytes("s")], out: [{ to: "z", body: bytes("o") }] }, () => {}));
  value(b.submitStep({ logicalDarq: "z", incarnation: incarnations.get("z")!, consumed: [], self: [], out: [{ to: "y", body: bytes("back") }] }, () => {}));
  sim.run();
  const announced = events.findIndex((event) => event.startsWith("input y"));
  const log = events.join("; ");
  t.true(announced >= 0, `y heard of its input: ${log}`);
  const before = events.slice(0, announced);
  t.true(before.includes("send data A→B"), `x's out-message left before y's input was announced: ${log}`);
  t.true(before.includes("send ack A→B"), `z's message was acked before y's input was announced: ${log}`);
  t.is(before.at(-1), "flush", `the transport was flushed right before the announcement: ${log}`);
});
