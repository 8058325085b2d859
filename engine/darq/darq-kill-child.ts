// Child process of the DARQ SIGKILL test (darq-file.kill.test.ts): one physical DARQ on a
// LogDeviceFile, hosting several logical DARQs that pass tokens around in a ring forever. Each
// step consumes a token, records it as a SELF event, forwards it to the next logical DARQ, and
// now and then replaces its SELF events by a snapshot (so checkpoints and prefix truncation
// happen on the real file device). After each step is durable it prints `ack <token>:<hop>` — a
// promise that the step survives. The parent kills the process at an arbitrary moment, reopens
// the directory, and checks the promises held and nothing was duplicated; it may then start a
// child again on the same directory, which recovers and carries on.
//
// Usage: node --import=tsx darq-kill-child.ts <dir> <tokens> <logicals>

import { pathToFileURL } from "node:url";
import type { Transport } from "../io/transport.ts";
import { ClockNode } from "../io/node/clock-node.ts";
import { LogDeviceFile } from "../io/node/log-device-file.ts";
import { bytes, text } from "./darq-test-world.ts";
import { type Entry, EntryKind } from "./entry.ts";
import { PhysicalDarq } from "./physical-darq.ts";

/** The ring's logical DARQ ids. */
export function ringLogicals(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `ring-${index}`);
}

/** Where hop `hop` of token `token` is consumed. */
export function ringTarget(logicals: readonly string[], token: number, hop: number): string {
  return logicals[(token + hop) % logicals.length]!;
}

/** Folds a logical DARQ's SELF events: "c:<hop>" adds a hop, "s:<json>" is a snapshot. */
export function ringFold(state: string[], event: string): string[] {
  if (event.startsWith("s:")) return JSON.parse(event.slice(2)) as string[];
  state.push(event.slice(2));
  return state;
}

/** Everything stays on this DARQ, so nothing crosses the transport. */
const transportNone: Transport = { send() {}, listen() {}, unlisten() {} };

const snapshotEvery = 16;
const runtimeUsMax = 60_000_000;

class RingProcessor {
  private state: string[] = [];
  private selfLsns: number[] = [];
  private incarnation = -1;
  private steps = 0;

  constructor(private readonly darq: PhysicalDarq, private readonly logical: string, private readonly logicals: string[]) {
    const registered = darq.register(logical, (entry) => this.handle(entry), (failure) => {
      if (failure !== null) throw new Error(failure.reason);
      const entries = this.value(darq.readUnconsumed(logical));
      for (const entry of entries) if (entry.kind === EntryKind.self) this.apply(entry.lsn, text(entry.body));
      for (const entry of entries) if (entry.kind === EntryKind.in) this.handle(entry);
    });
    this.incarnation = this.value(registered);
  }

  private value<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
    if (!result.ok) throw new Error(result.reason);
    return result.value;
  }

  private apply(lsn: number, event: string): void {
    this.selfLsns.push(lsn);
    this.state = ringFold(this.state, event);
  }

  private handle(entry: Entry): void {
    const hop = text(entry.body);
    const [token, index] = hop.split(":").map(Number) as [number, number];
    const next = `${token}:${index + 1}`;
    const event = `c:${hop}`;
    const lsn = this.value(this.darq.submitStep({
      logicalDarq: this.logical, incarnation: this.incarnation, consumed: [entry.lsn], self: [bytes(event)],
      out: [{ to: ringTarget(this.logicals, token, index + 1), body: bytes(next) }],
    }, (failure) => {
      if (failure === null) process.stdout.write(`ack ${hop}\n`);
    }));
    this.apply(lsn, event);
    if (++this.steps % snapshotEvery === 0) this.snapshot();
  }

  private snapshot(): void {
    const event = `s:${JSON.stringify(this.state)}`;
    const lsn = this.value(this.darq.submitStep({ logicalDarq: this.logical, incarnation: this.incarnation,
      consumed: this.selfLsns, self: [bytes(event)], out: [] }, () => {}));
    this.selfLsns = [];
    this.apply(lsn, event);
  }
}

function main(dir: string, tokens: number, logicalCount: number): void {
  const clock = new ClockNode();
  const darq = PhysicalDarq.open({
    device: LogDeviceFile.open(dir, { segmentBytes: 64 * 1024 }), clock, transport: transportNone,
    router: { resolve: () => undefined, invalidate: () => {} }, address: "kill-child",
    config: { commitPeriodUs: 500, compactBytesMin: 32 * 1024, checkpointChunkBytes: 4096 },
  });
  const logicals = ringLogicals(logicalCount);
  for (const logical of logicals) darq.host(logical);
  for (const logical of logicals) new RingProcessor(darq, logical, logicals);
  // The producer resends every token; dedup keeps those of earlier runs from starting twice.
  for (let token = 0; token < tokens; token++) {
    darq.enqueue(ringTarget(logicals, token, 0), "starter", token + 1, bytes(`${token}:0`), () => {});
  }
  clock.timerStart(runtimeUsMax, () => process.exit(3));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, tokens, logicals] = process.argv.slice(2);
  if (dir === undefined || tokens === undefined || logicals === undefined) {
    process.stderr.write("usage: darq-kill-child.ts <dir> <tokens> <logicals>\n");
    process.exit(2);
  }
  main(dir, Number(tokens), Number(logicals));
}
