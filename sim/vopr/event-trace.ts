// The determinism self-check's evidence: every processed event's (timeUs, seq), in order, plus
// notes of what the VOPR did and when (faults applied, actions, the heal). Two runs of one seed
// must give the same trace; where they part, the first differing event and the notes just
// before it say where to look.
//
// (timeUs, seq) is what the simulator's own fingerprint mixes, so the trace and the fingerprint
// disagree about the same things: nondeterminism that moves any event in time or order shows
// here; nondeterminism that changes only contents (same timing, other data) shows in the
// outcome's outputs and states, which the VOPR fingerprint mixes as well. Storage is two growing
// typed arrays: 16 bytes an event, no allocation per event.

export type TraceNote = { readonly event: number; readonly timeUs: number; readonly text: string };

export class EventTrace {
  private times = new Float64Array(4096);
  private seqs = new Float64Array(4096);
  private length = 0;
  readonly notes: TraceNote[] = [];

  get count(): number {
    return this.length;
  }

  push(timeUs: number, seq: number): void {
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = timeUs;
    this.seqs[this.length] = seq;
    this.length++;
  }

  /** Records what happened at `timeUs`, after event number `count` so far. */
  note(timeUs: number, text: string): void {
    this.notes.push({ event: this.length, timeUs, text });
  }

  timeUsAt(index: number): number {
    return this.times[index]!;
  }

  seqAt(index: number): number {
    return this.seqs[index]!;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}

/** The first event where two traces differ, or null when they agree event for event. */
export function traceFirstDifference(a: EventTrace, b: EventTrace): number | null {
  const shorter = Math.min(a.count, b.count);
  for (let index = 0; index < shorter; index++) {
    if (a.timeUsAt(index) !== b.timeUsAt(index) || a.seqAt(index) !== b.seqAt(index)) return index;
  }
  return a.count === b.count ? null : shorter;
}

const notesShown = 3;

/** A sentence about the divergence at `index`: both events, and what the VOPR did just before. */
export function traceDivergence(a: EventTrace, b: EventTrace, index: number): string {
  const event = (trace: EventTrace): string => index < trace.count
    ? `at ${trace.timeUsAt(index)}us seq ${trace.seqAt(index)}` : `none (the run ended after ${trace.count} events)`;
  const before = a.notes.filter((note) => note.event <= index).slice(-notesShown);
  const context = before.length === 0 ? "before any fault or action"
    : `after ${before.map((note) => `${note.text} at ${note.timeUs}us`).join(", ")}`;
  return `first differing event is #${index}: first run ${event(a)}, second run ${event(b)} (${context})`;
}
