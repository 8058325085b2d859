// Proves the record codec round-trips through real frames: what FrameBuffer writes in place is
// read back by engine/io/frame.ts's framesScan (so the two agree on the header), and each record
// kind decodes to what was encoded, including non-ASCII ids.

import test from "ava";
import { framesScan } from "../io/frame.ts";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import { ProducerDedup } from "./dedup.ts";
import type { Step } from "./entry.ts";
import { FrameBuffer, utf8Read, utf8Write } from "./frame-buffer.ts";
import { LogicalDarq, Pair } from "./logical-darq.ts";
import {
  hostDecode, hostEncode, inDecode, inEncode, RecordKind, registerDecode, registerEncode, stepBytesBound, stepDecode, StepWriter,
} from "./record-codec.ts";
import { bytes, text } from "./darq-test-world.ts";

test("codec: STEP, IN, HOST and REGISTER frames written in place are scanned and decoded back", (t) => {
  const buffer = new FrameBuffer();
  const source = new LogicalDarq("pi/1", 3);
  const pair = new Pair(7, source, "pi/2ü");
  const step: Step = {
    logicalDarq: "pi/1", incarnation: 5, consumed: [11, 4],
    self: [bytes("state-a"), bytes("")], out: [{ to: "pi/2ü", body: bytes("hello") }],
  };
  hostEncode(buffer, 3, "pi/1");
  registerEncode(buffer, 3, 5);
  const writer = new StepWriter();
  writer.begin(buffer, stepBytesBound(step), 3, 5, 20, 2, 2, 1);
  for (const lsn of step.consumed) writer.consumed(lsn);
  for (const body of step.self) writer.self(body);
  writer.out(pair.index, 1, true, step.out[0]!.body);
  writer.declare(pair);
  writer.end();
  inEncode(buffer, 3, 23, "client/ß", false, 9, bytes("order"));
  const device = new LogDeviceMemory();
  device.append(buffer.take());
  const bodies: Uint8Array[] = [];
  const scan = framesScan(device, 0, (_offset, body) => bodies.push(body));
  t.is(scan.frames, 4);
  t.false(scan.torn);
  t.deepEqual(bodies.map((body) => body[0]), [RecordKind.host, RecordKind.register, RecordKind.step, RecordKind.in]);
  t.deepEqual(hostDecode(bodies[0]!), { logicalIndex: 3, name: "pi/1" });
  t.deepEqual(registerDecode(bodies[1]!), { logicalIndex: 3, incarnation: 5 });
  const decoded = stepDecode(bodies[2]!);
  t.is(decoded.logicalIndex, 3);
  t.is(decoded.incarnation, 5);
  t.is(decoded.firstLsn, 20);
  t.deepEqual(decoded.consumed, [11, 4]);
  t.deepEqual(decoded.declared, [{ pairIndex: 7, target: "pi/2ü" }]);
  t.deepEqual(decoded.self.map(text), ["state-a", ""]);
  t.is(decoded.out.length, 1);
  t.like(decoded.out[0], { pairIndex: 7, seq: 1, local: true });
  t.is(text(decoded.out[0]!.body), "hello");
  const record = inDecode(bodies[3]!);
  t.like(record, { logicalIndex: 3, lsn: 23, from: "client/ß", fromDarq: false, seq: 9 });
  t.is(text(record.body), "order");
});

test("codec: a frame buffer grows past its initial capacity and keeps earlier frames intact", (t) => {
  const buffer = new FrameBuffer();
  const big = new Uint8Array(300 * 1024).fill(7);
  inEncode(buffer, 0, 1, "p", false, 1, bytes("small"));
  inEncode(buffer, 0, 2, "p", false, 2, big);
  const device = new LogDeviceMemory();
  device.append(buffer.take());
  const records = [] as ReturnType<typeof inDecode>[];
  framesScan(device, 0, (_offset, body) => records.push(inDecode(body)));
  t.is(records.length, 2);
  t.is(text(records[0]!.body), "small");
  t.is(records[1]!.body.length, big.length);
  t.true(records[1]!.body.every((byte) => byte === 7));
});

test("codec: utf8 helpers round-trip ASCII and non-ASCII ids", (t) => {
  const target = new Uint8Array(64);
  for (const id of ["a", "travel/booking-17", "automat/é中", ""]) {
    const end = utf8Write(target, 4, id);
    t.is(utf8Read(target, 4, end - 4), id);
  }
});

test("dedup: producer state accepts out-of-order sequence numbers exactly once", (t) => {
  const dedup = new ProducerDedup();
  for (const seq of [1, 3, 5, 2]) {
    t.false(dedup.seen("p", seq));
    dedup.accept("p", seq);
  }
  for (const seq of [1, 2, 3, 5]) t.true(dedup.seen("p", seq));
  t.false(dedup.seen("p", 4));
  dedup.accept("p", 4);
  const state = dedup.producers.get("p")!;
  t.is(state.contiguous, 5);
  t.is(state.above, null);
});
