// Benchmark: DARQ on files against the careful SQLite way of doing the same step, in one run.
//
// The step: consume one input, record one state event, emit one message that becomes the next
// automaton's input (a ring over 1,000 automata, as in darq-memory). The baseline does it with
// better-sqlite3 in WAL mode with synchronous=FULL, one transaction per group of steps, each step
// three statements on prepared statements: mark the input (an outbox row) consumed, insert the
// state event, insert the new outbox row. DARQ runs the darq-file ring with the same group size
// as its batchRecordsMax. Both are measured at group sizes 64 and 1,024; `value` is the lower of
// the two ratios darq / sqlite (steps per second). Each side runs three times, interleaved, and
// its best run counts: the machine is shared, and other load only ever slows a run down.
// `npm run bench -- darq-vs-sqlite [--logicals 1000] [--steps 200000]`

import Database from "better-sqlite3";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ringRunFile } from "./darq-file.ts";
import { ringOptions } from "./darq-memory.ts";
import type { BenchResult } from "./run.ts";

type SqliteResult = { steps: number; seconds: number; stepsPerSecond: number };


/** The ring on SQLite: `steps` steps in transactions of `groupSize`. */
export function sqliteRing(logicals: number, steps: number, groupSize: number, bodyBytes: number): SqliteResult {
  const dir = fs.mkdtempSync(join(tmpdir(), "ssms-bench-sqlite-"));
  const db = new Database(join(dir, "ring.db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY, target INTEGER NOT NULL, body BLOB NOT NULL,
               consumed INTEGER NOT NULL DEFAULT 0);
             CREATE TABLE events (id INTEGER PRIMARY KEY, automaton INTEGER NOT NULL, body BLOB NOT NULL);`);
    const consume = db.prepare("UPDATE outbox SET consumed = 1 WHERE id = ? AND consumed = 0");
    const event = db.prepare("INSERT INTO events (automaton, body) VALUES (?, ?)");
    const send = db.prepare("INSERT INTO outbox (target, body) VALUES (?, ?)");
    const body = Buffer.alloc(bodyBytes, 1);
    // Each automaton's pending input (an outbox row id); seeded with one message each.
    const pending = new Array<number>(logicals);
    db.transaction(() => {
      for (let automaton = 0; automaton < logicals; automaton++) {
        pending[automaton] = Number(send.run(automaton, body).lastInsertRowid);
      }
    })();
    const group = db.transaction((first: number, count: number) => {
      for (let index = first; index < first + count; index++) {
        const automaton = index % logicals;
        if (consume.run(pending[automaton]!).changes !== 1) throw new Error("input consumed twice");
        event.run(automaton, body);
        const next = (automaton + 1) % logicals;
        // The ring hands the message to the next automaton, whose input it becomes.
        pending[next] = Number(send.run(next, body).lastInsertRowid);
      }
    });
    const started = performance.now();
    for (let first = 0; first < steps; first += groupSize) group(first, Math.min(groupSize, steps - first));
    const seconds = (performance.now() - started) / 1000;
    return { steps, seconds, stepsPerSecond: steps / seconds };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const options = ringOptions(args, { steps: 200_000 });
  const context: Record<string, number> = {};
  let ratioMin = Infinity;
  for (const groupSize of [64, 1024]) {
    let darqBest = 0;
    let sqliteBest = 0;
    for (let repeat = 0; repeat < 3; repeat++) {
      const darq = await ringRunFile({ ...options, batchRecordsMax: groupSize });
      darqBest = Math.max(darqBest, darq.stepsPerSecond);
      sqliteBest = Math.max(sqliteBest, sqliteRing(options.logicals, options.steps, groupSize, options.bodyBytes).stepsPerSecond);
    }
    const darq = { stepsPerSecond: darqBest };
    const sqlite = { stepsPerSecond: sqliteBest };
    const ratio = darq.stepsPerSecond / sqlite.stepsPerSecond;
    ratioMin = Math.min(ratioMin, ratio);
    context[`darqStepsPerSecond${groupSize}`] = Math.round(darq.stepsPerSecond);
    context[`sqliteStepsPerSecond${groupSize}`] = Math.round(sqlite.stepsPerSecond);
    context[`ratio${groupSize}`] = Number(ratio.toFixed(2));
    process.stderr.write(`group ${groupSize}: darq-file ${Math.round(darq.stepsPerSecond)} steps/s, ` +
      `sqlite ${Math.round(sqlite.stepsPerSecond)} steps/s, ratio ${ratio.toFixed(2)}\n`);
  }
  return {
    bench: "darq-vs-sqlite", value: Number(ratioMin.toFixed(2)), unit: "ratio (darq-file / sqlite steps/s, lower of groups 64 and 1024)",
    logicals: options.logicals, steps: options.steps, floor: 1.5, aim: 10, ...context,
  };
}
