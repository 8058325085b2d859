// OutboxSql: the Outbox contract (outbox.ts) over any OutboxSqlDatabase. The SQLite and
// PostgreSQL implementations are this class plus a thin driver adapter, so both behave alike by
// construction and one contract test checks both.

import { assert } from "../../io/assert.ts";
import { ErrorCode } from "../../io/errors.ts";
import { err, ok } from "../../io/result.ts";
import {
  outboxBatchCountMax,
  type Done, type Outbox, type OutboxHandler, type OutboxInbound, type OutboxMessage, type OutboxReceipt,
} from "./outbox.ts";
import { inboundInvalid, OutboxReceive, outboxPackr } from "./outbox-receive.ts";
import { outboxSql, type OutboxSqlDatabase } from "./outbox-sql.ts";

export class OutboxSql implements Outbox {
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly db: OutboxSqlDatabase, private readonly handler: OutboxHandler) {}

  receive(message: OutboxInbound, done: Done<OutboxReceipt>): void {
    assert(!this.closed, `${this.db.where} used after close`);
    const invalid = inboundInvalid(message);
    if (invalid !== null) return done(invalid);
    this.db.begin((begun) => {
      if (!begun.ok) return done(begun);
      new OutboxReceive(begun.value, message, done, () => this.notify()).start(this.handler, this.db.synchronous);
    });
  }

  outboxRead(afterId: number, countMax: number, done: Done<readonly OutboxMessage[]>): void {
    assert(!this.closed, `${this.db.where} used after close`);
    if (!Number.isSafeInteger(afterId) || afterId < 0 || !Number.isSafeInteger(countMax) ||
      countMax < 1 || countMax > outboxBatchCountMax) {
      return done(err(ErrorCode.argumentInvalid,
        `${this.db.where}: outboxRead needs afterId ≥ 0 and 1 ≤ countMax ≤ ${outboxBatchCountMax}, got ${afterId}, ${countMax}`));
    }
    this.db.query(outboxSql.outboxRead, [afterId, countMax], (read) => {
      if (!read.ok) return done(read);
      done(ok(read.value.rows.map((row) => Object.freeze({
        id: Number(row["id"]),
        to: String(row["target"]),
        seq: Number(row["seq"]),
        body: outboxPackr.unpack(row["body"] as Uint8Array) as unknown,
      }))));
    });
  }

  outboxAck(ids: readonly number[], done: Done<number>): void {
    assert(!this.closed, `${this.db.where} used after close`);
    if (ids.length === 0) return done(ok(0));
    if (ids.length > outboxBatchCountMax || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
      return done(err(ErrorCode.argumentInvalid,
        `${this.db.where}: outboxAck needs 1–${outboxBatchCountMax} positive integer ids`));
    }
    this.db.query(this.db.dialect.ackSql, [this.db.dialect.ackParam(ids)], (deleted) =>
      done(deleted.ok ? ok(deleted.value.changes) : deleted));
  }

  inboxPrune(source: string, seqBelow: number, done: Done<number>): void {
    assert(!this.closed, `${this.db.where} used after close`);
    const invalid = inboundInvalid({ source, seq: seqBelow, body: null });
    if (invalid !== null) return done(invalid);
    this.db.begin((begun) => {
      if (!begun.ok) return done(begun);
      const tx = begun.value;
      tx.query(outboxSql.floorRaise, [source, seqBelow], (raised) => {
        if (!raised.ok) return tx.rollback(() => done(raised));
        tx.query(outboxSql.inboxPrune, [source, seqBelow], (pruned) => {
          if (!pruned.ok) return tx.rollback(() => done(pruned));
          tx.commit((committed) => done(committed.ok ? ok(pruned.value.changes) : committed));
        });
      });
    });
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(done: Done<void>): void {
    this.closed = true;
    this.listeners.clear();
    this.db.close(done);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
