// The inbox: what arrives at a physical DARQ from outside — external enqueues (property 4) and
// out-messages of other logical DARQs (property 5) — checked against the target logical DARQ's
// dedup tables, appended as IN records, and acknowledged only once durable (property 6).
//
// A message for a logical DARQ this physical DARQ does not host is answered notHere, so the
// sender invalidates its cached route (the paper's lazy protocol). Duplicates are acknowledged
// again (their first copy may have lost its ack), but only once that first copy is durable: a
// duplicate of a durable message is acked at once, one of a pending message with the batch.

import { coverageMark } from "../io/coverage.ts";
import { ErrorCode } from "../io/errors.ts";
import { plantedBugs } from "../io/planted-bugs.ts";
import { err, ok, type Result } from "../io/result.ts";
import type { Address, Transport } from "../io/transport.ts";
import type { DarqConfig } from "./darq-config.ts";
import { Arrival, arrivalClassify, type SourceState } from "./dedup.ts";
import type { Batch, EnqueueDone, GroupCommit } from "./group-commit.ts";
import { type DarqState, inApply, type LogicalDarq } from "./logical-darq.ts";
import { inEncode } from "./record-codec.ts";
import { idProblem } from "./step-validate.ts";
import {
  notHere, type WireAck, type WireData, type WireEnqueue, type WireEnqueued, type WireNack, wireOverheadBytes,
} from "./wire.ts";

export type InboxStats = {
  enqueued: number; duplicates: number; dataAccepted: number; dataDuplicates: number; gaps: number; notHere: number;
};

export class Inbox {
  readonly stats: InboxStats = { enqueued: 0, duplicates: 0, dataAccepted: 0, dataDuplicates: 0, gaps: 0, notHere: 0 };

  constructor(
    private readonly state: DarqState,
    private readonly commit: GroupCommit,
    private readonly transport: Transport,
    private readonly address: Address,
    private readonly config: DarqConfig,
  ) {}

  /**
   * Accepts (producer, seq) for `target` unless it was accepted before. Returns true for a new
   * message, false for a duplicate; `done` runs once the message is durable either way.
   */
  enqueue(target: string, producer: string, seq: number, body: Uint8Array, done: EnqueueDone): Result<boolean> {
    const logical = this.state.byName.get(target);
    if (logical === undefined) {
      return err(ErrorCode.notHere, `logical DARQ '${target}' is not hosted on physical DARQ ${this.address}`);
    }
    if (logical.fenced) {
      return err(ErrorCode.logicalDarqMigrating,
        `logical DARQ '${target}' is migrating away from ${this.address}: resolve its location again and retry`);
    }
    const problem = idProblem("producer id", producer);
    if (problem !== null) return err(ErrorCode.argumentInvalid, `enqueue to '${target}': ${problem}`);
    if (!Number.isSafeInteger(seq) || seq < 1) {
      return err(ErrorCode.argumentInvalid, `enqueue to '${target}' from '${producer}': seq must be an integer ≥ 1, got ${seq}`);
    }
    if (!(body instanceof Uint8Array) || body.length > this.config.bodyBytesMax) {
      return err(ErrorCode.messageTooLarge,
        `enqueue to '${target}' from '${producer}': body must be a Uint8Array of at most ${this.config.bodyBytesMax} bytes`);
    }
    const batch = this.commit.batch();
    const fresh = !logical.producers.seen(producer, seq);
    if (fresh) {
      this.append(batch, logical, producer, false, seq, body);
      this.stats.enqueued++;
    } else {
      this.stats.duplicates++;
      coverageMark("darq.dedup.enqueueDuplicate");
      if (plantedBugs.dedupOff) this.append(batch, logical, `${producer}~dup${this.state.lsnNext}`, false, 1, body);
    }
    batch.durableDone.push(done);
    this.commit.added();
    return ok(fresh);
  }

  /** An enqueue that came over the wire: acknowledged to `from` once durable. */
  onEnqueue(from: Address, message: WireEnqueue): void {
    const { target, producer, seq } = message;
    const result = this.enqueue(target, producer, seq, message.body, (failure) => {
      if (failure !== null) return; // the DARQ failed; the producer retries elsewhere or later
      const reply: WireEnqueued = { kind: "enqueued", producer, seq, target };
      this.transport.send(this.address, from, reply, wireOverheadBytes);
    });
    if (!result.ok && (result.code === ErrorCode.notHere || result.code === ErrorCode.logicalDarqMigrating)) {
      this.stats.notHere++;
      this.transport.send(this.address, from, notHere(producer, target), wireOverheadBytes);
    }
  }

  /** Out-messages of a (source, target) pair: accept in order, nack a gap, re-ack duplicates. */
  onData(from: Address, message: WireData): void {
    const logical = this.state.byName.get(message.target);
    if (logical === undefined || logical.fenced) {
      this.stats.notHere++;
      this.transport.send(this.address, from, notHere(message.source, message.target), wireOverheadBytes);
      return;
    }
    const source = logical.sourceState(message.source);
    source.replyTo = from;
    const bodies = message.bodies;
    let accepted = false;
    for (let index = 0; index < bodies.length; index++) {
      const seq = message.seqFirst + index;
      const arrival = arrivalClassify(source, seq);
      if (arrival === Arrival.duplicate) {
        this.stats.dataDuplicates++;
        coverageMark("darq.dedup.dataDuplicate");
        continue;
      }
      if (arrival === Arrival.gap) {
        // Never drop silently: tell the sender where to resume (go-back-N).
        this.stats.gaps++;
        const nack: WireNack = { kind: "nack", source: source.source, target: source.target, seqExpected: source.seqExpected };
        this.transport.send(this.address, from, nack, wireOverheadBytes);
        break;
      }
      const body = bodies[index]!;
      if (!(body.length <= this.config.bodyBytesMax)) break; // a sender that ignores limits is not served
      this.append(this.commit.batch(), logical, source.source, true, seq, body);
      this.stats.dataAccepted++;
      accepted = true;
    }
    const seqHave = source.seqExpected - 1;
    if (seqHave <= 0) return;
    if (!accepted && seqHave <= source.seqDurable) {
      this.ackSend(source, source.seqDurable);
      return;
    }
    const batch = this.commit.batch();
    batch.ackSources.push(source);
    batch.ackSeqs.push(seqHave);
    this.commit.added();
  }

  /** A batch is durable: acknowledge the pairs it covers. */
  publish(batch: Batch): void {
    const sources = batch.ackSources;
    for (let index = 0; index < sources.length; index++) {
      const source = sources[index]!;
      const seq = batch.ackSeqs[index]!;
      if (seq > source.seqDurable) source.seqDurable = seq;
      this.ackSend(source, seq);
    }
  }

  private append(batch: Batch, logical: LogicalDarq, from: string, fromDarq: boolean, seq: number, body: Uint8Array): void {
    const state = this.state;
    const lsn = state.lsnNext++;
    const entry = inApply(state, logical, lsn, body, from, fromDarq, seq);
    inEncode(this.commit.buffer, logical.index, lsn, from, fromDarq, seq, body);
    batch.inEntries.push(entry);
    batch.inLogicals.push(logical);
  }

  private ackSend(source: SourceState, seq: number): void {
    if (source.replyTo === "") return; // arrived locally (same physical DARQ): nothing to ack
    const ack: WireAck = { kind: "ack", source: source.source, target: source.target, seq };
    this.transport.send(this.address, source.replyTo, ack, wireOverheadBytes);
  }
}
