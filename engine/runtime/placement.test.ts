// Placement policies are pure functions of plain data: each test feeds pools and load and checks
// the choice — only up nodes, static rules per type with co-location on spare cores, round-robin
// turning with the placed count, hash stable per id — and that no fitting node means null.

import test from "ava";
import {
  placementHash, placementOf, placementRoundRobin, placementStatic,
  type ComputeNodeInfo, type DarqNodeInfo, type PlacementLoad, type Pools,
} from "./placement.ts";

function compute(id: string, kind: ComputeNodeInfo["kind"], pool: string, darqNode: string | null = null, up = true): ComputeNodeInfo {
  return { id, kind, pool, zone: "z1", cores: 2, darqNode, up };
}

function darq(id: string, pool: string, up = true): DarqNodeInfo {
  return { id, tier: pool === "darq:blob" ? "blob" : "ssd", pool, zone: "z1", up };
}

const pools: Pools = {
  compute: [compute("vm1", "vm", "vm:D8"), compute("vm2", "vm", "vm:D8"), compute("s1", "darq-spare", "spare", "d1"),
    compute("s2", "darq-spare", "spare", "d2"), compute("f1", "serverless", "serverless")],
  darq: [darq("d1", "darq:ssd"), darq("d2", "darq:ssd"), darq("b1", "darq:blob")],
};

const idle: PlacementLoad = { placedCount: 0, automataByNode: {} };

test("static placement follows the type's pools and picks the least loaded node", (t) => {
  const place = placementStatic({ counter: { compute: "vm:D8", darq: "darq:ssd" }, "*": { compute: "serverless", darq: "darq:blob" } });
  t.deepEqual(place("counter/a", "counter", pools, idle), { computeNode: "vm1", darqNode: "d1" });
  const loaded: PlacementLoad = { placedCount: 5, automataByNode: { vm1: 3, vm2: 1, d1: 2, d2: 0 } };
  t.deepEqual(place("counter/b", "counter", pools, loaded), { computeNode: "vm2", darqNode: "d2" });
  t.deepEqual(place("other/x", "other", pools, idle), { computeNode: "f1", darqNode: "b1" });
});

test("static placement on spare cores co-locates compute with the chosen DARQ node", (t) => {
  const place = placementStatic({ chatty: { compute: "spare", darq: "darq:ssd" } });
  t.deepEqual(place("chatty/a", "chatty", pools, { placedCount: 0, automataByNode: { d1: 4 } }), { computeNode: "s2", darqNode: "d2" });
  const d2Spareless: Pools = { ...pools, compute: pools.compute.filter((node) => node.id !== "s2") };
  t.deepEqual(place("chatty/a", "chatty", d2Spareless, { placedCount: 0, automataByNode: { d1: 4 } }), { computeNode: "s1", darqNode: "d1" });
});

test("static placement without a rule for the type says which type and how to fix it", (t) => {
  const place = placementStatic({ counter: { compute: "vm:D8", darq: "darq:ssd" } });
  t.throws(() => place("other/x", "other", pools, idle), { message: /no rule for automaton type 'other'/ });
});

test("round-robin turns with the number of placements made so far", (t) => {
  const choices = [0, 1, 2, 3, 4, 5].map((placedCount) => placementRoundRobin("a/b", "a", pools, { placedCount, automataByNode: {} }));
  t.deepEqual(choices.map((choice) => choice?.darqNode), ["d1", "d2", "b1", "d1", "d2", "b1"]);
  t.deepEqual(choices.map((choice) => choice?.computeNode), ["vm1", "vm2", "s1", "s2", "f1", "vm1"]);
});

test("hash placement is stable per id, spreads ids, and prefers the DARQ node's spare cores", (t) => {
  const first = placementHash("counter/a", "counter", pools, idle);
  t.deepEqual(placementHash("counter/a", "counter", pools, { placedCount: 9, automataByNode: { d1: 7 } }), first);
  const darqs = new Set(Array.from({ length: 60 }, (_, index) => placementHash(`counter/${index}`, "counter", pools, idle)?.darqNode));
  t.is(darqs.size, 3);
  for (let index = 0; index < 60; index++) {
    const choice = placementHash(`counter/${index}`, "counter", pools, idle)!;
    if (choice.darqNode === "d1") t.is(choice.computeNode, "s1");
    if (choice.darqNode === "d2") t.is(choice.computeNode, "s2");
  }
});

test("only up nodes are chosen, and no fitting node gives null", (t) => {
  const down: Pools = {
    compute: pools.compute.map((node) => (node.id === "vm1" ? { ...node, up: false } : node)),
    darq: pools.darq.map((node) => (node.id === "d1" ? { ...node, up: false } : node)),
  };
  for (let placedCount = 0; placedCount < 10; placedCount++) {
    const choice = placementRoundRobin("a/b", "a", down, { placedCount, automataByNode: {} })!;
    t.not(choice.computeNode, "vm1");
    t.not(choice.darqNode, "d1");
  }
  const none: Pools = { compute: pools.compute.map((node) => ({ ...node, up: false })), darq: pools.darq };
  t.is(placementRoundRobin("a/b", "a", none, idle), null);
  t.is(placementHash("a/b", "a", none, idle), null);
  t.is(placementStatic({ a: { compute: "vm:D8", darq: "darq:ssd" } })("a/b", "a", none, idle), null);
});

test("placementOf builds the policy a config names", (t) => {
  t.is(placementOf({ policy: "round-robin" }), placementRoundRobin);
  t.is(placementOf({ policy: "hash" }), placementHash);
  const place = placementOf({ policy: "static", types: { "*": { compute: "serverless", darq: "darq:blob" } } });
  t.deepEqual(place("x/y", "x", pools, idle), { computeNode: "f1", darqNode: "b1" });
});
