// One inbound message through the outbox, as a chain of callbacks inside one transaction:
//
//   below the source's pruned floor?  → duplicate (reply null), roll back
//   claim (source, seq) in ssms_inbox → already there: duplicate, answer the recorded reply
//   run the handler                   → error: roll back everything, answer the error
//   record the reply, take ids and per-target seqs, write the outbox rows, commit
//
// Claiming first makes a concurrent duplicate wait on the claim's row lock (PostgreSQL) until
// the first run commits or rolls back, so exactly one run commits. On SQLite the whole chain runs
// synchronously inside the call.

import { Packr } from "msgpackr";
import { assert } from "../../io/assert.ts";
import { ErrorCode } from "../../io/errors.ts";
import { err, ok, type Err, type Result } from "../../io/result.ts";
import type { Done, OutboxHandler, OutboxInbound, OutboxReceipt, OutboxTx } from "./outbox.ts";
import { outboxSendsPerReceiveMax } from "./outbox.ts";
import { outboxSql, type OutboxSqlTransaction } from "./outbox-sql.ts";

/** Plain msgpack (no record extension), so any process can decode what another wrote. */
export const outboxPackr = new Packr({ useRecords: false });

type Staged = { readonly to: string; readonly body: Uint8Array };

export class OutboxReceive {
  private readonly staged: Staged[] = [];
  private handlerDone = false;
  /** Set when a synchronous handler returned without answering; a late answer is a bug. */
  private abandoned = false;

  constructor(
    private readonly tx: OutboxSqlTransaction,
    private readonly message: OutboxInbound,
    private readonly done: Done<OutboxReceipt>,
    private readonly onSent: () => void,
  ) {}

  /** Runs the chain; `handler` runs at most once and only after the claim succeeded. */
  start(handler: OutboxHandler, synchronous: boolean): void {
    const { source, seq } = this.message;
    this.tx.query(outboxSql.floorGet, [source], (floor) => {
      if (!floor.ok) return this.fail(floor);
      const floorSeq = floor.value.rows[0]?.["seq_floor"];
      if (floorSeq !== undefined && seq < Number(floorSeq)) return this.duplicate(null);
      this.tx.query(outboxSql.inboxClaim, [source, seq], (claim) => {
        if (!claim.ok) return this.fail(claim);
        if (claim.value.changes === 0) return this.recordedReply();
        this.handlerRun(handler, synchronous);
      });
    });
  }

  private handlerRun(handler: OutboxHandler, synchronous: boolean): void {
    const facade: OutboxTx = {
      query: (sql, params, done) => {
        assert(!this.handlerDone, "outbox handler queried after calling done");
        this.tx.query(sql, params, done);
      },
      send: (to, body) => {
        assert(!this.handlerDone, "outbox handler sent after calling done");
        assert(typeof to === "string" && to.length > 0, "outbox send needs a non-empty target");
        this.staged.push({ to, body: outboxPackr.pack(body) });
      },
    };
    try {
      handler(facade, this.message, (result) => this.handlerFinished(result));
    } catch (error) {
      // A handler that throws has a bug: undo its writes, then let the exception surface.
      this.tx.rollback(() => {});
      throw error;
    }
    if (synchronous && !this.handlerDone) {
      this.abandoned = true;
      this.tx.rollback(() => {});
      assert(false, "on SQLite an outbox handler must call done before it returns (it runs inside one synchronous transaction)");
    }
  }

  private handlerFinished(result: Result<unknown>): void {
    assert(!this.abandoned, "outbox handler called done after its transaction was abandoned");
    assert(!this.handlerDone, "outbox handler called done twice");
    this.handlerDone = true;
    if (!result.ok) return this.fail(result);
    if (this.staged.length > outboxSendsPerReceiveMax) {
      return this.fail(err(ErrorCode.limitExceeded,
        `outbox handler for (${this.message.source}, ${this.message.seq}) sent ${this.staged.length} ` +
        `messages; at most ${outboxSendsPerReceiveMax} per message`));
    }
    const reply = result.value;
    const { source, seq } = this.message;
    this.tx.query(outboxSql.inboxReplySet, [outboxPackr.pack(reply), source, seq], (recorded) => {
      if (!recorded.ok) return this.fail(recorded);
      if (this.staged.length === 0) return this.commit(reply);
      this.tx.query(outboxSql.idsTake, [this.staged.length], (taken) => {
        if (!taken.ok) return this.fail(taken);
        const idLast = Number(taken.value.rows[0]?.["id_last"]);
        this.outboxWrite(0, idLast - this.staged.length + 1, reply);
      });
    });
  }

  /** Writes staged message `index` with outbox id `id`, then the next, then commits. */
  private outboxWrite(index: number, id: number, reply: unknown): void {
    const message = this.staged[index];
    if (message === undefined) return this.commit(reply);
    this.tx.query(outboxSql.targetSeqTake, [message.to], (seqTaken) => {
      if (!seqTaken.ok) return this.fail(seqTaken);
      const seq = Number(seqTaken.value.rows[0]?.["seq_last"]);
      this.tx.query(outboxSql.outboxInsert, [id, message.to, seq, message.body], (inserted) => {
        if (!inserted.ok) return this.fail(inserted);
        this.outboxWrite(index + 1, id + 1, reply);
      });
    });
  }

  private commit(reply: unknown): void {
    this.tx.commit((committed) => {
      if (!committed.ok) return this.done(committed);
      if (this.staged.length > 0) this.onSent();
      this.done(ok({ duplicate: false, reply }));
    });
  }

  private recordedReply(): void {
    const { source, seq } = this.message;
    this.tx.query(outboxSql.inboxReplyGet, [source, seq], (found) => {
      if (!found.ok) return this.fail(found);
      const bytes = found.value.rows[0]?.["reply"];
      this.duplicate(bytes instanceof Uint8Array ? outboxPackr.unpack(bytes) : null);
    });
  }

  private duplicate(reply: unknown): void {
    this.tx.rollback(() => this.done(ok({ duplicate: true, reply })));
  }

  private fail(failure: Err): void {
    this.tx.rollback(() => this.done(failure));
  }
}

/** Checks an inbound message where it enters; the reason names the field. */
export function inboundInvalid(message: OutboxInbound): Err | null {
  if (typeof message.source !== "string" || message.source.length === 0 || message.source.length > 512) {
    return err(ErrorCode.argumentInvalid, `outbox inbound message: source must be 1–512 characters, got ${String(message.source)}`);
  }
  if (!Number.isSafeInteger(message.seq) || message.seq < 0) {
    return err(ErrorCode.argumentInvalid,
      `outbox inbound message from ${message.source}: seq must be an integer ≥ 0, got ${String(message.seq)}`);
  }
  return null;
}
