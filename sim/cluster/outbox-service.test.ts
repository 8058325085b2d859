// An external service behind a transactional outbox (the inventory example, on SQLite in memory)
// joins the simulated cluster as automaton `inventory/main`: shopper automata message it like any
// automaton and get its answers back as messages — each request's effect on the stock exactly
// once and each answer delivered exactly once, also when the DARQ node in front of the service
// crashes and restarts in the middle (its endpoint then sees redelivered inputs, which the outbox
// recognises as duplicates).

import test from "ava";
import type { Result } from "../../engine/io/result.ts";
import { defineAutomaton } from "../../engine/runtime/automaton.ts";
import type { AutomatonRef } from "../../engine/runtime/ids.ts";
import { inventoryHandler, inventorySchemaSql, type InventoryAnswer, type InventoryRequest } from "../../engine/runtime/outbox/inventory-service.ts";
import { outboxSqliteOpen } from "../../engine/runtime/outbox/outbox-sqlite.ts";
import { clusterAudit } from "./cluster-audit.ts";
import { SimCluster } from "./sim-cluster.ts";

type ShopperMessage = { readonly kind: "buy"; readonly sku: string; readonly qty: number } | InventoryAnswer;
type ShopperState = { reserved: number; rejected: number; answers: number };
type ShopperEvent = { readonly reserved: boolean; readonly qty: number };

const inventory = "inventory/main" as AutomatonRef<InventoryRequest>;

const shopper = defineAutomaton<ShopperState, ShopperMessage, ShopperEvent>({
  type: "shopper",
  initial: () => ({ reserved: 0, rejected: 0, answers: 0 }),
  handle(ctx, _state, message) {
    if (message.kind === "buy") ctx.send(inventory, { kind: "reserve", sku: message.sku, qty: message.qty, replyTo: ctx.self });
    else ctx.emit({ reserved: message.kind === "reserved", qty: message.qty });
    return undefined;
  },
  apply(state, event) {
    state.answers++;
    if (event.reserved) state.reserved += event.qty;
    else state.rejected += event.qty;
    return state;
  },
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
  return result.value;
}

test("automata message an outbox-wrapped service as an automaton; effects and answers exactly once across a crash", (t) => {
  for (const crash of [false, true]) {
    const outbox = value(outboxSqliteOpen({ path: ":memory:", handler: inventoryHandler, serviceSchemaSql: inventorySchemaSql }));
    const cluster = new SimCluster({
      seed: `outbox-${crash}`, profile: "azure-2024",
      darqNodes: [{ name: "d1", tier: "ssd", zone: "z1" }, { name: "d2", tier: "ssd", zone: "z1" }],
      computeNodes: [{ name: "vm1", kind: "vm", size: "D2s_v3", zone: "z1" }],
      placement: { policy: "static", types: { shopper: { compute: "vm:Standard_D2s_v3", darq: "darq:premium-ssd-p4" } } },
    }, [shopper]);
    cluster.addOutboxService(inventory, "d2", outbox);
    const client = cluster.client("c");
    client.send(inventory, { kind: "release", sku: "apple", qty: 10 });
    cluster.runFor(500_000);
    // 8 shoppers want 2 apples each; 10 are in stock: 5 reservations succeed, 3 are rejected.
    for (let index = 0; index < 8; index++) client.send(shopper.ref(`s${index}`), { kind: "buy", sku: "apple", qty: 2 });
    let receivedAtCrash = -1;
    if (crash) {
      // Crash the service's DARQ node in the middle: once it has taken 3 of the 8 reservations.
      const poll = (): void => {
        const received = cluster.services.endpoint(inventory)?.stats.received ?? 0;
        if (received < 1 + 3) return void cluster.sim.clock.timerStart(100, poll);
        receivedAtCrash = received - 1;
        cluster.crashDarqNode("d2");
        cluster.sim.clock.timerStart(150_000, () => cluster.restartDarqNode("d2"));
      };
      poll();
    }
    cluster.runFor(20_000_000);
    const states = Array.from({ length: 8 }, (_, index) => cluster.stateOf(shopper, `s${index}`)!);
    t.true(states.every((state) => state.answers === 1), `crash ${crash}: each shopper got exactly one answer`);
    t.is(states.reduce((sum, state) => sum + state.reserved, 0), 10, `crash ${crash}: 10 apples reserved`);
    t.is(states.filter((state) => state.rejected > 0).length, 3);
    let stock: unknown;
    outbox.receive({ source: "test", seq: 1, body: { kind: "reserve", sku: "apple", qty: 1, replyTo: "x/y" } }, (answer) => {
      stock = value(answer).reply;
    });
    t.deepEqual(stock, { kind: "rejected", available: 0 }, `crash ${crash}: the stock was taken exactly once per reservation`);
    let problems: string[] | null = null;
    clusterAudit(cluster, (found) => (problems = found));
    cluster.runFor(1_000_000);
    t.deepEqual(problems, []);
    if (crash) t.true(receivedAtCrash >= 3 && receivedAtCrash < 8, `the crash came while reservations were being taken (${receivedAtCrash})`);
    outbox.close(() => undefined);
  }
});
