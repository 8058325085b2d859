// The Outbox contract (outbox.ts) and the relay over it, as ava tests registered once per
// database (SQLite on a real file, PostgreSQL in a fresh schema), using the example inventory
// service. Each title says what the case proves.

import test from "ava";
import type { ExecutionContext } from "ava";
import { ErrorCode } from "../../io/errors.ts";
import { err, type Result } from "../../io/result.ts";
import { ClockTest } from "../../catalog/test-seams.ts";
import { inventoryHandler } from "./inventory-service.ts";
import type { Outbox, OutboxHandler, OutboxInbound, OutboxMessage, OutboxReceipt } from "./outbox.ts";
import { OutboxRelay } from "./outbox-relay.ts";

/** Fresh storage for one case: open an outbox on it (again after close = a restart). */
export type OutboxStorage = {
  readonly open: (handler: OutboxHandler) => Promise<Outbox>;
  /** The inventory count of `sku`, read straight from the database; null when absent. */
  readonly stock: (sku: string) => Promise<number | null>;
  readonly destroy: () => Promise<void>;
};

export type OutboxHarness = {
  readonly name: string;
  readonly create: () => Promise<OutboxStorage>;
  /** Lets real time pass briefly (the test file owns timers; PostgreSQL answers later). */
  readonly pause: () => Promise<void>;
};

function promised<T>(op: (done: (r: Result<T>) => void) => void): Promise<Result<T>> {
  return new Promise((resolve) => op(resolve));
}

function must<T>(t: ExecutionContext, result: Result<T>): T {
  if (result.ok) return result.value;
  const why = `expected ok, got ${result.code}: ${result.reason}`;
  t.fail(why);
  throw new Error(why);
}

const receive = (o: Outbox, m: OutboxInbound): Promise<Result<OutboxReceipt>> => promised((d) => o.receive(m, d));
const unsent = (o: Outbox): Promise<Result<readonly OutboxMessage[]>> => promised((d) => o.outboxRead(0, 1_000, d));
const close = (o: Outbox): Promise<Result<void>> => promised((d) => o.close(d));

function release(seq: number, sku: string, qty: number): OutboxInbound {
  return { source: "admin", seq, body: { kind: "release", sku, qty } };
}

function reserve(seq: number, sku: string, qty: number, replyTo = "order/1"): OutboxInbound {
  return { source: "shop", seq, body: { kind: "reserve", sku, qty, replyTo } };
}

/** Counts handler runs, so a test can prove a duplicate never re-ran it. */
function counted(): { handler: OutboxHandler; runs: () => number } {
  let runs = 0;
  return { handler: (tx, m, done) => { runs += 1; inventoryHandler(tx, m, done); }, runs: () => runs };
}

/** Waits a bounded number of pauses until `check` holds. */
async function eventually(pause: () => Promise<void>, check: () => boolean | Promise<boolean>, why: string): Promise<void> {
  for (let turn = 0; turn < 1_000; turn += 1) {
    if (await check()) return;
    await pause();
  }
  throw new Error(`never happened: ${why}`);
}

type Case = (t: ExecutionContext, storage: OutboxStorage, pause: () => Promise<void>) => Promise<void>;

const cases: Readonly<Record<string, Case>> = {
  "exactly-once: a reserve delivered three times takes stock once; duplicates get the first reply":
    async (t, storage) => {
      const { handler, runs } = counted();
      const outbox = await storage.open(handler);
      must(t, await receive(outbox, release(1, "apple", 5)));
      const first = must(t, await receive(outbox, reserve(1, "apple", 3)));
      t.deepEqual(first, { duplicate: false, reply: { kind: "reserved" } });
      for (let i = 0; i < 2; i += 1) {
        t.deepEqual(must(t, await receive(outbox, reserve(1, "apple", 3))), { duplicate: true, reply: { kind: "reserved" } });
      }
      t.is(runs(), 2, "release once, reserve once");
      t.is(await storage.stock("apple"), 2);
      const sent = must(t, await unsent(outbox));
      t.deepEqual(sent, [{ id: 1, to: "order/1", seq: 1,
        body: { kind: "reserved", sku: "apple", qty: 3, request: { source: "shop", seq: 1 } } }]);
      must(t, await close(outbox));
    },

  "a reservation beyond stock is answered rejected through the outbox and takes nothing": async (t, storage) => {
    const outbox = await storage.open(inventoryHandler);
    must(t, await receive(outbox, release(1, "pear", 2)));
    t.deepEqual(must(t, await receive(outbox, reserve(1, "pear", 5))).reply, { kind: "rejected", available: 2 });
    t.is(await storage.stock("pear"), 2);
    const [answer] = must(t, await unsent(outbox));
    t.like(answer?.body, { kind: "rejected", available: 2, qty: 5 });
    const invalid = must(t, await receive(outbox, { source: "shop", seq: 2, body: { kind: "steal" } }));
    t.like(invalid.reply, { kind: "invalid" });
    t.true(must(t, await receive(outbox, { source: "shop", seq: 2, body: null })).duplicate, "recorded, so not retried");
    t.is((await receive(outbox, { source: "shop", seq: -1, body: null })).ok ? "ok" : "refused", "refused");
    must(t, await close(outbox));
  },

  "a handler error rolls back state, inbox and outbox; a redelivery runs the handler again": async (t, storage) => {
    let failNext = false;
    const handler: OutboxHandler = (tx, m, done) => {
      if (!failNext) return inventoryHandler(tx, m, done);
      failNext = false;
      tx.query("UPDATE inventory SET count = 0", [], () => {
        tx.send("order/1", { kind: "never" });
        done(err(ErrorCode.argumentInvalid, "simulated failure after writing"));
      });
    };
    const outbox = await storage.open(handler);
    must(t, await receive(outbox, release(1, "fig", 4)));
    failNext = true;
    const failed = await receive(outbox, reserve(1, "fig", 1));
    t.is(failed.ok ? "ok" : failed.code, ErrorCode.argumentInvalid);
    t.is(await storage.stock("fig"), 4, "the update was rolled back");
    t.deepEqual(must(t, await unsent(outbox)), [], "the send was rolled back");
    t.deepEqual(must(t, await receive(outbox, reserve(1, "fig", 1))), { duplicate: false, reply: { kind: "reserved" } });
    t.is(await storage.stock("fig"), 3);
    must(t, await close(outbox));
  },

  "concurrent duplicates: each message received twice at once commits exactly once": async (t, storage) => {
    const { handler, runs } = counted();
    const outbox = await storage.open(handler);
    must(t, await receive(outbox, release(1, "kiwi", 100)));
    const receipts = await Promise.all(Array.from({ length: 10 }, (_, i) => i + 1)
      .flatMap((seq) => [receive(outbox, reserve(seq, "kiwi", 1)), receive(outbox, reserve(seq, "kiwi", 1))]));
    const fresh = receipts.filter((r) => r.ok && !r.value.duplicate).length;
    t.is(fresh, 10, "one fresh run per message");
    t.is(receipts.filter((r) => r.ok && r.value.duplicate).length, 10, "the twins are duplicates");
    t.is(runs(), 11);
    t.is(await storage.stock("kiwi"), 90);
    t.deepEqual(must(t, await unsent(outbox)).map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    must(t, await close(outbox));
  },

  "outbox rows and dedup records survive closing and reopening the database": async (t, storage) => {
    const first = await storage.open(inventoryHandler);
    must(t, await receive(first, release(1, "plum", 3)));
    must(t, await receive(first, reserve(1, "plum", 1, "order/9")));
    const before = must(t, await unsent(first));
    must(t, await close(first));
    const { handler, runs } = counted();
    const again = await storage.open(handler);
    t.deepEqual(must(t, await unsent(again)), before);
    t.true(must(t, await receive(again, reserve(1, "plum", 1, "order/9"))).duplicate);
    t.is(runs(), 0);
    must(t, await receive(again, reserve(2, "plum", 1, "order/9")));
    t.deepEqual(must(t, await unsent(again)).map((m) => [m.id, m.seq]), [[1, 1], [2, 2]], "ids and seqs continue");
    must(t, await close(again));
  },

  "relay: in id order, seq 1,2,3… per target, deletes only acked rows; a restart resends the rest in order":
    async (t, storage, pause) => {
      const outbox = await storage.open(inventoryHandler);
      must(t, await receive(outbox, release(1, "lime", 100)));
      for (let seq = 1; seq <= 6; seq += 1) must(t, await receive(outbox, reserve(seq, "lime", 1, seq % 2 === 1 ? "a/1" : "b/1")));
      const delivered: OutboxMessage[] = [];
      const relay = new OutboxRelay({ outbox, sender: (m, ack) => {
        delivered.push(m);
        if (m.id % 2 === 1) ack();
      } });
      relay.start();
      await eventually(pause, () => delivered.length === 6, "six messages delivered");
      t.deepEqual(delivered.map((m) => m.id), [1, 2, 3, 4, 5, 6]);
      t.deepEqual(delivered.map((m) => `${m.to}#${m.seq}`), ["a/1#1", "b/1#1", "a/1#2", "b/1#2", "a/1#3", "b/1#3"]);
      await eventually(pause, async () => must(t, await unsent(outbox)).length === 3, "acked rows deleted");
      t.deepEqual(must(t, await unsent(outbox)).map((m) => m.id), [2, 4, 6]);
      relay.stop();
      must(t, await close(outbox));

      const reopened = await storage.open(inventoryHandler);
      const resent: number[] = [];
      const relay2 = new OutboxRelay({ outbox: reopened, sender: (m, ack) => { resent.push(m.id); ack(); } });
      relay2.start();
      await eventually(pause, async () => must(t, await unsent(reopened)).length === 0, "all acknowledged");
      t.deepEqual(resent, [2, 4, 6]);
      must(t, await receive(reopened, reserve(7, "lime", 1, "a/1")));
      await eventually(pause, () => resent.length === 4, "a new commit wakes the relay");
      t.is(resent[3], 7);
      relay2.stop();
      must(t, await close(reopened));
    },

  "relay: at most inFlightCountMax unacknowledged; with a clock, unacked messages are resent": async (t, storage, pause) => {
    const outbox = await storage.open(inventoryHandler);
    must(t, await receive(outbox, release(1, "date", 10)));
    for (let seq = 1; seq <= 3; seq += 1) must(t, await receive(outbox, reserve(seq, "date", 1)));
    const clock = new ClockTest();
    const sent: number[] = [];
    const acks = new Map<number, () => void>();
    const relay = new OutboxRelay({ outbox, clock, resendAfterUs: 1_000, inFlightCountMax: 2,
      sender: (m, ack) => { sent.push(m.id); acks.set(m.id, ack); } });
    relay.start();
    await eventually(pause, () => sent.length === 2, "two in flight");
    t.deepEqual(sent, [1, 2]);
    clock.advance(1_000);
    await eventually(pause, () => sent.length === 4, "both resent");
    t.deepEqual(sent, [1, 2, 1, 2], "resent oldest first, nothing new while full");
    acks.get(1)?.();
    await eventually(pause, () => sent.length === 5, "room for the third");
    t.deepEqual(sent, [1, 2, 1, 2, 3]);
    t.is(relay.inFlightCount(), 2);
    relay.stop();
    must(t, await close(outbox));
  },

  "inbox prune: forgotten replies below the floor still count as duplicates, answered null": async (t, storage) => {
    const { handler, runs } = counted();
    const outbox = await storage.open(handler);
    must(t, await receive(outbox, release(1, "nut", 10)));
    for (let seq = 1; seq <= 4; seq += 1) must(t, await receive(outbox, reserve(seq, "nut", 1)));
    t.is(must(t, await promised<number>((d) => outbox.inboxPrune("shop", 3, d))), 2);
    t.deepEqual(must(t, await receive(outbox, reserve(2, "nut", 1))), { duplicate: true, reply: null });
    t.deepEqual(must(t, await receive(outbox, reserve(3, "nut", 1))), { duplicate: true, reply: { kind: "reserved" } });
    t.is(must(t, await promised<number>((d) => outbox.inboxPrune("shop", 1, d))), 0, "the floor never goes down");
    t.true(must(t, await receive(outbox, reserve(2, "nut", 1))).duplicate);
    t.is(runs(), 5);
    t.is(await storage.stock("nut"), 6);
    must(t, await close(outbox));
  },
};

export function outboxContract(harness: OutboxHarness): void {
  for (const [title, body] of Object.entries(cases)) {
    test.serial(`${harness.name}: ${title}`, async (t) => {
      const storage = await harness.create();
      try {
        await body(t, storage, harness.pause);
      } finally {
        await storage.destroy();
      }
    });
  }
}

export function outboxContractSkipped(name: string, why: string): void {
  console.log(`[outbox contract] ${name} cases skipped: ${why}`);
  for (const title of Object.keys(cases)) test.skip(`${name}: ${title} (skipped: ${why})`, () => {});
}
