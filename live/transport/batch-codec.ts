// Batches of messages between processes. A frame body is the msgpack map
//   { process: <sender's process id>, messages: [[from, to, message], …] }
// encoded with the transport's one Packr (plain maps, no record extension, so every frame
// decodes on its own). `send` encodes each [from, to, message] entry at once, which gives its
// exact size for the limit check and freezes its content; the BatchWriter then lays the map
// header by hand and appends entries as they come, so a batch is one buffer built by copies and
// the receiver decodes the whole body with a single `unpack`.
//
// The receiver trusts nothing: `batchDecode` turns any body (garbage, truncated, wrong shape, a
// process id other than the one that authenticated) into an error value, and only a body whose
// every entry is well formed is delivered, so a bad frame delivers none of its messages.

import { Packr } from "msgpackr";
import { assert } from "../../engine/io/assert.ts";
import { ErrorCode } from "../../engine/io/errors.ts";
import { crc32, frameHeaderBytes } from "../../engine/io/frame.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";

/** The transport's one Packr. copyBuffers: decoded bytes never alias a frame buffer. */
export const transportPackr = new Packr({ useRecords: false, copyBuffers: true });

/** Longest address (in UTF-16 units) a received entry may name. */
export const addressLengthMax = 1024;

/** msgpack array32 marker; its count is filled in when the batch is sealed. */
const array32 = 0xdd;
const array32Bytes = 5;

const entryScratch: unknown[] = [undefined, undefined, undefined];

/** Encodes one [from, to, message] entry (the bytes are copied by the caller before the next call). */
export function entryEncode(from: string, to: string, message: unknown): Uint8Array {
  entryScratch[0] = from;
  entryScratch[1] = to;
  entryScratch[2] = message;
  try {
    return transportPackr.pack(entryScratch);
  } finally {
    entryScratch[2] = undefined;
  }
}

/** Decodes one entry made by entryEncode (same-process delivery). */
export function entryDecode(entry: Uint8Array): unknown {
  return (transportPackr.unpack(new Uint8Array(entry.buffer, entry.byteOffset, entry.length)) as unknown[])[2];
}

/** Builds frames (header + body) from encoded entries, reusing one staging buffer. */
export class BatchWriter {
  private staging: Buffer;
  private lengthBytes: number;
  private countNow = 0;
  private readonly entriesAt: number;
  private readonly capacityBytes: number;

  constructor(processId: string, capacityBytes: number) {
    const prefix = Buffer.concat([
      Buffer.from([0x82]), transportPackr.pack("process"), transportPackr.pack(processId), transportPackr.pack("messages"),
    ]);
    this.entriesAt = frameHeaderBytes + prefix.length + array32Bytes;
    this.capacityBytes = capacityBytes + this.entriesAt;
    this.staging = Buffer.allocUnsafe(this.capacityBytes);
    prefix.copy(this.staging, frameHeaderBytes);
    this.staging[frameHeaderBytes + prefix.length] = array32;
    this.lengthBytes = this.entriesAt;
  }

  /** Messages in the open batch. */
  get count(): number {
    return this.countNow;
  }

  /** Bytes of entries in the open batch. */
  get entryBytes(): number {
    return this.lengthBytes - this.entriesAt;
  }

  /** Body bytes a frame would have if `extraBytes` more entry bytes were appended. */
  bodyBytesWith(extraBytes: number): number {
    return this.lengthBytes - frameHeaderBytes + extraBytes;
  }

  append(entry: Uint8Array): void {
    const needed = this.lengthBytes + entry.length;
    if (needed > this.staging.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.staging.length));
      this.staging.copy(grown, 0, 0, this.lengthBytes);
      this.staging = grown;
    }
    this.staging.set(entry, this.lengthBytes);
    this.lengthBytes = needed;
    this.countNow++;
  }

  /** The open batch as a frame in a fresh buffer (sockets keep it until written); starts a new batch. */
  seal(): Buffer {
    assert(this.countNow > 0, "seal of an empty batch");
    this.staging.writeUInt32BE(this.countNow, this.entriesAt - 4);
    const bodyBytes = this.lengthBytes - frameHeaderBytes;
    this.staging.writeUInt32LE(bodyBytes, 0);
    this.staging.writeUInt32LE(crc32(this.staging, frameHeaderBytes, this.lengthBytes), 4);
    const frame = Buffer.allocUnsafe(this.lengthBytes);
    this.staging.copy(frame, 0, 0, this.lengthBytes);
    // One huge message grew the staging buffer; give the memory back instead of keeping it per peer.
    if (this.staging.length > 4 * this.capacityBytes) {
      const shrunk = Buffer.allocUnsafe(this.capacityBytes);
      this.staging.copy(shrunk, 0, 0, this.entriesAt);
      this.staging = shrunk;
    }
    this.lengthBytes = this.entriesAt;
    this.countNow = 0;
    return frame;
  }
}

/** One received message. */
export type BatchEntry = readonly [from: string, to: string, message: unknown];

export type BatchLimits = { readonly batchMessagesMax: number };

function isAddress(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= addressLengthMax;
}

/** Decodes and checks a frame body from `processExpected`; any defect is an error, never a throw. */
export function batchDecode(body: Uint8Array, processExpected: string, limits: BatchLimits): Result<readonly BatchEntry[]> {
  let decoded: unknown;
  try {
    // A plain Uint8Array view, so binary values decode as Uint8Array (not Buffer) on every path.
    decoded = transportPackr.unpack(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch (error) {
    return err(ErrorCode.frameCorrupt, `frame body is not msgpack: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) {
    return err(ErrorCode.messageInvalid, "frame body is not a map {process, messages}");
  }
  const map = decoded as Record<string, unknown>;
  if (map["process"] !== processExpected) {
    return err(ErrorCode.messageInvalid, `frame claims process '${String(map["process"])}', but the connection authenticated as '${processExpected}'`);
  }
  const messages = map["messages"];
  if (!Array.isArray(messages) || messages.length === 0) {
    return err(ErrorCode.messageInvalid, "frame body has no non-empty 'messages' array");
  }
  if (messages.length > limits.batchMessagesMax) {
    return err(ErrorCode.limitExceeded, `frame carries ${messages.length} messages; batchMessagesMax is ${limits.batchMessagesMax}`);
  }
  for (let index = 0; index < messages.length; index++) {
    const entry: unknown = messages[index];
    if (!Array.isArray(entry) || entry.length !== 3 || !isAddress(entry[0]) || !isAddress(entry[1])) {
      return err(ErrorCode.messageInvalid, `frame entry ${index} is not [from, to, message] with addresses of 1..${addressLengthMax} characters`);
    }
  }
  return ok(messages as BatchEntry[]);
}
