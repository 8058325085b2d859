// Proves the DARQ configuration is validated once with every problem named by its key (unknown
// keys, wrong types, out-of-range values, inconsistent pairs), defaults fill the rest, and the
// result is frozen; and that wire messages off the network are shape-checked, never trusted.

import test from "ava";
import { ErrorCode, SsmsError } from "../io/errors.ts";
import { darqConfigDefault, darqConfigResolve } from "./darq-config.ts";
import { wireParse } from "./wire.ts";

test("config: defaults fill what is not given, and the result is frozen", (t) => {
  const config = darqConfigResolve({ commitPeriodUs: 250, commitWhenIdle: false });
  t.is(config.commitPeriodUs, 250);
  t.false(config.commitWhenIdle);
  t.is(config.batchRecordsMax, darqConfigDefault.batchRecordsMax);
  t.true(Object.isFrozen(config));
});

test("config: every problem is reported with its key", (t) => {
  const error = t.throws(() => darqConfigResolve({
    commitPeriodMs: 5, batchRecordsMax: 0, compactLiveRatioMax: 1.5, commitWhenIdle: "yes", retryUsMin: 2.5,
  }), { instanceOf: SsmsError });
  t.is(error.code, ErrorCode.configInvalid);
  for (const key of ["commitPeriodMs: unknown key", "batchRecordsMax: must be", "compactLiveRatioMax: must be",
    "commitWhenIdle: must be true or false", "retryUsMin: must be an integer"]) {
    t.true(error.message.includes(`darq.${key}`), key);
  }
  t.throws(() => darqConfigResolve({ retryUsMin: 5_000, retryUsMax: 1_000 }), { message: /retryUsMax: must be at least retryUsMin/ });
});

test("wire: well-formed messages pass, anything else is dropped", (t) => {
  const data = { kind: "data", source: "a", target: "b", seqFirst: 1, bodies: [new Uint8Array(2)] };
  t.is(wireParse(data) as unknown, data);
  t.truthy(wireParse({ kind: "ack", source: "a", target: "b", seq: 3 }));
  t.truthy(wireParse({ kind: "enqueue", producer: "p", seq: 1, target: "b", body: new Uint8Array(0) }));
  for (const bad of [null, 7, "data", { kind: "data", source: "a", target: "b", seqFirst: 0, bodies: [] },
    { kind: "data", source: "a", target: "b", seqFirst: 1, bodies: ["x"] }, { kind: "ack", source: "", target: "b", seq: 1 },
    { kind: "nack", source: "a", target: "b", seqExpected: -1 }, { kind: "enqueue", producer: "p", seq: 0, target: "b", body: new Uint8Array(0) },
    { kind: "shout", source: "a", target: "b" }]) {
    t.is(wireParse(bad), null, JSON.stringify(bad));
  }
});
