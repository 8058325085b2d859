// Record bodies of the DARQ log. Every frame holds one record; byte 0 of the body is its kind.
//
// The hot records (STEP, IN, REGISTER, HOST) are hand-laid little-endian so encoding is a few
// stores into the group-commit buffer, with no intermediate objects: a step's SELF and OUT
// records and its commit record are one STEP frame, which a crash keeps whole or not at all.
// Checkpoint records are rare and shaped like trees, so their bodies are msgpackr (see
// checkpoint.ts).
//
// STEP  u8 kind, 3 pad, u32 logical, u32 incarnation, u32 consumed#, u32 self#, u32 out#,
//       u32 pairDecl#, f64 firstLsn; consumed f64 each; self (u32 n, n bytes);
//       out (u32 pair, f64 seq, u8 local, u32 n, n bytes); pairDecl (u32 pair, u16 n, n bytes id)
//       for the pairs the step's outs use for the first time (applied before its outs).
//       The step's entries take LSNs firstLsn.. in order: its self-messages, then its outs.
// IN    u8 kind, u8 fromDarq, u16 fromBytes, u32 logical, f64 lsn, f64 seq, u32 n, from, body.
// HOST  u8 kind, 3 pad, u32 logical, u16 nameBytes, name.
// REGISTER u8 kind, 3 pad, u32 logical, u32 incarnation.
// FENCE, RELEASE u8 kind, 3 pad, u32 logical.   ADOPT u8 kind, msgpack (see migration.ts).

import { assert } from "../io/assert.ts";
import type { Lsn, Step } from "./entry.ts";
import { type FrameBuffer, utf8BytesMax, utf8Read, utf8Write } from "./frame-buffer.ts";
import type { Pair } from "./logical-darq.ts";

export const RecordKind = {
  step: 1,
  in: 2,
  host: 3,
  register: 4,
  checkpointBegin: 5,
  checkpointPart: 6,
  checkpointEnd: 7,
  fence: 8,
  release: 9,
  adopt: 10,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

const stepFixedBytes = 36;
const outFixedBytes = 17;
/** Longest id (logical DARQ, producer) in UTF-8 bytes; ids are short names, not payloads. */
export const idBytesMax = 0xffff;

/**
 * Upper bound of a step's STEP body, counting every out-message as if it declared a new pair
 * (a declaration takes at most 6 + 3 × id length bytes).
 */
export function stepBytesBound(step: Step): number {
  const { consumed, self, out } = step;
  let bytes = stepFixedBytes + 8 * consumed.length;
  for (let index = 0; index < self.length; index++) bytes += 4 + self[index]!.length;
  for (let index = 0; index < out.length; index++) {
    const message = out[index]!;
    bytes += 10 + outFixedBytes + message.body.length + utf8BytesMax(message.to);
  }
  return bytes;
}

/**
 * Writes one STEP frame in a single pass, in the order the caller applies the step: header,
 * consumed LSNs, self-messages, out-messages, then the declarations of pairs first used by it.
 * One writer object is reused for every step (no allocation).
 */
export class StepWriter {
  private buffer: FrameBuffer | null = null;
  private start = 0;
  private at = 0;
  private declared = 0;

  begin(buffer: FrameBuffer, bytesMax: number, logicalIndex: number, incarnation: number, firstLsn: Lsn,
    consumedCount: number, selfCount: number, outCount: number): void {
    const at = buffer.frameBegin(bytesMax);
    const view = buffer.view;
    view.setUint32(at, RecordKind.step, true);
    view.setUint32(at + 4, logicalIndex, true);
    view.setUint32(at + 8, incarnation, true);
    view.setUint32(at + 12, consumedCount, true);
    view.setUint32(at + 16, selfCount, true);
    view.setUint32(at + 20, outCount, true);
    view.setFloat64(at + 28, firstLsn, true);
    this.buffer = buffer;
    this.start = at;
    this.at = at + stepFixedBytes;
    this.declared = 0;
  }

  consumed(lsn: Lsn): void {
    this.buffer!.view.setFloat64(this.at, lsn, true);
    this.at += 8;
  }

  self(body: Uint8Array): void {
    const buffer = this.buffer!;
    buffer.view.setUint32(this.at, body.length, true);
    buffer.bytes.set(body, this.at + 4);
    this.at += 4 + body.length;
  }

  out(pairIndex: number, seq: number, local: boolean, body: Uint8Array): void {
    const buffer = this.buffer!;
    const at = this.at;
    buffer.view.setUint32(at, pairIndex, true);
    buffer.view.setFloat64(at + 4, seq, true);
    buffer.bytes[at + 12] = local ? 1 : 0;
    buffer.view.setUint32(at + 13, body.length, true);
    buffer.bytes.set(body, at + outFixedBytes);
    this.at = at + outFixedBytes + body.length;
  }

  declare(pair: Pair): void {
    const buffer = this.buffer!;
    const at = this.at;
    buffer.view.setUint32(at, pair.index, true);
    const end = utf8Write(buffer.bytes, at + 6, pair.target);
    buffer.view.setUint16(at + 4, end - at - 6, true);
    this.at = end;
    this.declared++;
  }

  end(): void {
    const buffer = this.buffer!;
    buffer.view.setUint32(this.start + 24, this.declared, true);
    buffer.frameEnd(this.at);
    this.buffer = null;
  }
}

export function inEncode(
  buffer: FrameBuffer, logicalIndex: number, lsn: Lsn, from: string, fromDarq: boolean, seq: number,
  body: Uint8Array,
): void {
  const at = buffer.frameBegin(28 + utf8BytesMax(from) + body.length);
  const bytes = buffer.bytes;
  const view = buffer.view;
  bytes[at] = RecordKind.in;
  bytes[at + 1] = fromDarq ? 1 : 0;
  view.setUint32(at + 4, logicalIndex, true);
  view.setFloat64(at + 8, lsn, true);
  view.setFloat64(at + 16, seq, true);
  view.setUint32(at + 24, body.length, true);
  const fromEnd = utf8Write(bytes, at + 28, from);
  view.setUint16(at + 2, fromEnd - at - 28, true);
  bytes.set(body, fromEnd);
  buffer.frameEnd(fromEnd + body.length);
}

export function hostEncode(buffer: FrameBuffer, logicalIndex: number, name: string): void {
  const at = buffer.frameBegin(10 + utf8BytesMax(name));
  buffer.view.setUint32(at, RecordKind.host, true);
  buffer.view.setUint32(at + 4, logicalIndex, true);
  const end = utf8Write(buffer.bytes, at + 10, name);
  buffer.view.setUint16(at + 8, end - at - 10, true);
  buffer.frameEnd(end);
}

export function registerEncode(buffer: FrameBuffer, logicalIndex: number, incarnation: number): void {
  const at = buffer.frameBegin(12);
  buffer.view.setUint32(at, RecordKind.register, true);
  buffer.view.setUint32(at + 4, logicalIndex, true);
  buffer.view.setUint32(at + 8, incarnation, true);
  buffer.frameEnd(at + 12);
}

// Decoding, for recovery. Bodies come from framesScan as views into fresh reads, so decoded
// byte arrays may be views into them too.

export type StepRecord = {
  logicalIndex: number;
  incarnation: number;
  firstLsn: Lsn;
  consumed: Lsn[];
  declared: { pairIndex: number; target: string }[];
  self: Uint8Array[];
  out: { pairIndex: number; seq: number; local: boolean; body: Uint8Array }[];
};

export function stepDecode(body: Uint8Array): StepRecord {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const consumedCount = view.getUint32(12, true);
  const selfCount = view.getUint32(16, true);
  const outCount = view.getUint32(20, true);
  const declCount = view.getUint32(24, true);
  const record: StepRecord = {
    logicalIndex: view.getUint32(4, true), incarnation: view.getUint32(8, true),
    firstLsn: view.getFloat64(28, true), consumed: [], declared: [], self: [], out: [],
  };
  let at = stepFixedBytes;
  for (let index = 0; index < consumedCount; index++, at += 8) record.consumed.push(view.getFloat64(at, true));
  for (let index = 0; index < selfCount; index++) {
    const length = view.getUint32(at, true);
    record.self.push(body.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  for (let index = 0; index < outCount; index++) {
    const length = view.getUint32(at + 13, true);
    record.out.push({
      pairIndex: view.getUint32(at, true), seq: view.getFloat64(at + 4, true), local: body[at + 12] === 1,
      body: body.subarray(at + outFixedBytes, at + outFixedBytes + length),
    });
    at += outFixedBytes + length;
  }
  for (let index = 0; index < declCount; index++) {
    const length = view.getUint16(at + 4, true);
    record.declared.push({ pairIndex: view.getUint32(at, true), target: utf8Read(body, at + 6, length) });
    at += 6 + length;
  }
  assert(at === body.length, `STEP record of ${body.length} bytes decoded to ${at}`);
  return record;
}

export type InRecord = {
  logicalIndex: number; lsn: Lsn; from: string; fromDarq: boolean; seq: number; body: Uint8Array;
};

export function inDecode(body: Uint8Array): InRecord {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const fromBytes = view.getUint16(2, true);
  const length = view.getUint32(24, true);
  assert(28 + fromBytes + length === body.length, "IN record length mismatch");
  return {
    logicalIndex: view.getUint32(4, true), lsn: view.getFloat64(8, true), seq: view.getFloat64(16, true),
    fromDarq: body[1] === 1, from: utf8Read(body, 28, fromBytes), body: body.subarray(28 + fromBytes),
  };
}

export function hostDecode(body: Uint8Array): { logicalIndex: number; name: string } {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return { logicalIndex: view.getUint32(4, true), name: utf8Read(body, 10, view.getUint16(8, true)) };
}

export function registerDecode(body: Uint8Array): { logicalIndex: number; incarnation: number } {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return { logicalIndex: view.getUint32(4, true), incarnation: view.getUint32(8, true) };
}

/** The logical DARQ index of a FENCE or RELEASE record (u8 kind, 3 pad, u32 logical). */
export function logicalIndexDecode(body: Uint8Array): number {
  return new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(4, true);
}
