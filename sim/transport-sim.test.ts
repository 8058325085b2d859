// Runs the Transport contract against TransportSim, and checks what the simulator adds: latency
// per link in virtual time, loss, duplication and reordering as a LinkModel decides, messages in
// flight to an address that stops listening, and the traffic counters.

import test from "ava";
import { transportContract } from "../engine/io/transport.contract.ts";
import { EventQueue } from "./event-queue.ts";
import { Simulator } from "./simulator.ts";
import { LinkModelConstant, TransportSim, type LinkKeys, type LinkModel } from "./transport-sim.ts";

transportContract(test, "TransportSim", () => {
  const simulator = new Simulator({ seed: "transport-contract" });
  const transport = new TransportSim(simulator.queue, new LinkModelConstant({ latencyUsDefault: 250 }));
  return {
    transport,
    address: (name) => name,
    settle: async () => {
      simulator.run();
    },
    close: async () => {},
  };
});

function setup(links: LinkModel): { queue: EventQueue; transport: TransportSim; log: string[] } {
  const queue = new EventQueue();
  const transport = new TransportSim(queue, links);
  const log: string[] = [];
  for (const name of ["a", "b", "c"]) {
    transport.listen(name, (from, message) => log.push(`${queue.nowUs}:${from}>${name}:${String(message)}`));
  }
  return { queue, transport, log };
}

function drain(queue: EventQueue): void {
  while (queue.popNext());
}

test("LinkModelConstant delays each link by its own latency, unknown links by the default", (t) => {
  const links = new LinkModelConstant({ latencyUsDefault: 500, links: [{ from: "a", to: "b", latencyUs: 120 }] });
  links.setLatency("b", "a", 80);
  const { queue, transport, log } = setup(links);
  transport.send("a", "b", "x", 10);
  transport.send("b", "a", "y", 10);
  transport.send("a", "c", "z", 10);
  drain(queue);
  t.deepEqual(log, ["80:b>a:y", "120:a>b:x", "500:a>c:z"]);
  t.is(links.latencyUs("c", "a"), 500);
  t.throws(() => links.setLatency("a", "c", -1), { message: /integer ≥ 0/ });
});

test("LinkModelConstant keeps each link FIFO", (t) => {
  const { queue, transport, log } = setup(new LinkModelConstant({ latencyUsDefault: 50 }));
  for (let index = 0; index < 10; index++) transport.send("a", "b", index, 1);
  drain(queue);
  t.deepEqual(log.map((line) => line.split(":")[2]), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
});

test("a link model can lose, duplicate and reorder messages", (t) => {
  // Message n gets the copies listed at plan[n]: lost, doubled, then overtaken by a faster one.
  const plan: number[][] = [[], [10, 30], [200], [50]];
  let sent = 0;
  const { queue, transport, log } = setup({ deliveries: () => plan[sent++]! });
  for (let index = 0; index < plan.length; index++) transport.send("a", "b", index, 100);
  drain(queue);
  t.deepEqual(log, ["10:a>b:1", "30:a>b:1", "50:a>b:3", "200:a>b:2"]);
  t.deepEqual(transport.stats, {
    messagesSent: 4, bytesSent: 400, messagesDelivered: 4, bytesDelivered: 400,
    messagesLost: 1, messagesUnroutable: 0,
  });
});

test("a message in flight to an address that stops listening is dropped and counted", (t) => {
  const { queue, transport, log } = setup(new LinkModelConstant({ latencyUsDefault: 100 }));
  transport.send("a", "b", "in-flight", 7);
  transport.unlisten("b");
  drain(queue);
  t.deepEqual(log, []);
  t.is(transport.stats.messagesUnroutable, 1);
  t.is(transport.stats.messagesDelivered, 0);
});

test("listening twice on one address and malformed sizes or delays are programmer errors", (t) => {
  const { transport } = setup(new LinkModelConstant({ latencyUsDefault: 1 }));
  t.throws(() => transport.listen("a", () => {}), { message: /already has a listener/ });
  t.throws(() => transport.send("a", "b", "x", -1), { message: /sizeBytes/ });
  const broken = new TransportSim(new EventQueue(), { deliveries: () => [1.5] });
  t.throws(() => broken.send("a", "b", "x", 1), { message: /integer µs/ });
});

test("copies landing on one link at one instant, with nothing scheduled between them, share one event", (t) => {
  const queue = new EventQueue();
  const transport = new TransportSim(queue, new LinkModelConstant({ latencyUsDefault: 100 }));
  const log: string[] = [];
  transport.listen("b", (from, message) => {
    log.push(`${queue.nowUs}:${from}:${String(message)}`);
    // What a handler schedules at the same instant still comes after every joined copy.
    if (message === "m1") queue.schedule(queue.nowUs, () => log.push(`${queue.nowUs}:timer`));
  });
  transport.listen("c", (from, message) => log.push(`${queue.nowUs}:${from}:${String(message)}`));
  transport.send("a", "b", "m1", 10);
  transport.send("a", "b", "m2", 20);
  transport.send("a", "c", "other-link", 5);
  transport.send("a", "b", "m3", 30);
  let events = 0;
  while (queue.popNext()) events++;
  t.deepEqual(log, ["100:a:m1", "100:a:m2", "100:a:other-link", "100:a:m3", "100:timer"]);
  t.is(events, 4, "m1 and m2 share an event; the send on another link in between keeps m3 apart");
  t.is(transport.stats.messagesDelivered, 4);
  t.is(transport.stats.bytesDelivered, 65);
});

test("a link model gets one LinkKeys record per link, kept from message to message", (t) => {
  const seen: { keys: LinkKeys | undefined; keysAtCall: number[] }[] = [];
  const model: LinkModel = {
    deliveries: (from, to, _sizeBytes, keys) => {
      seen.push({ keys, keysAtCall: [keys?.fromKey ?? NaN, keys?.toKey ?? NaN] });
      if (keys !== undefined && keys.fromKey < 0) {
        keys.fromKey = from.charCodeAt(0);
        keys.toKey = to.charCodeAt(0);
      }
      return [10];
    },
  };
  const { queue, transport, log } = setup(model);
  transport.send("a", "b", 1, 1);
  transport.send("a", "c", 2, 1);
  transport.send("a", "b", 3, 1);
  transport.send("c", "b", 4, 1);
  drain(queue);
  t.is(seen[0]!.keys, seen[2]!.keys, "a → b keeps its record");
  t.not(seen[0]!.keys, seen[1]!.keys);
  t.not(seen[0]!.keys, seen[3]!.keys);
  t.deepEqual(seen.map(({ keysAtCall }) => keysAtCall), [[-1, -1], [-1, -1], [97, 98], [-1, -1]]);
  t.deepEqual(log, ["10:a>b:1", "10:a>c:2", "10:a>b:3", "10:c>b:4"]);
});

test("a listener set again after an unlisten receives what arrives from then on", (t) => {
  const { queue, transport, log } = setup(new LinkModelConstant({ latencyUsDefault: 100 }));
  transport.send("a", "b", "first", 1);
  transport.unlisten("b");
  queue.schedule(50, () => transport.listen("b", (from, message) => log.push(`${queue.nowUs}:${from}>b again:${String(message)}`)));
  drain(queue);
  t.deepEqual(log, ["100:a>b again:first"]);
});

test("a gated address takes copies only once its process is free, in arrival order, without asking again", (t) => {
  const { queue, transport, log } = setup(new LinkModelConstant({ latencyUsDefault: 100 }));
  let busyUntilUs = 250;
  transport.gate("b", () => busyUntilUs);
  transport.send("a", "b", "first", 1); // arrives at 100, waits until 250
  queue.schedule(150, () => {
    busyUntilUs = 400; // more work queued behind the first copy: the copy still goes at 250
    transport.send("c", "b", "second", 1); // arrives at 250, waits until 400
  });
  transport.send("a", "c", "ungated", 1);
  drain(queue);
  t.deepEqual(log, ["100:a>c:ungated", "250:a>b:first", "400:c>b:second"]);
  t.is(transport.stats.messagesDelivered, 3);
});

test("a gate that says free lets copies through at once", (t) => {
  const { queue, transport, log } = setup(new LinkModelConstant({ latencyUsDefault: 100 }));
  transport.gate("b", () => queue.nowUs);
  transport.send("a", "b", "now", 1);
  drain(queue);
  t.deepEqual(log, ["100:a>b:now"]);
});
