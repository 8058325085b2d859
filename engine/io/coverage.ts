// Coverage marks: how often each rare path ran (after TigerBeetle's and FoundationDB's coverage
// marks). A randomised sweep only proves something about the paths it reached, so the code names
// its rare paths here — recovery cutting a torn tail, a stale route re-resolved, a step refused
// by fencing, a duplicate dropped by dedup — and calls `coverageMark(name)` where each happens;
// the VOPR sweep (sim/vopr) resets the counters before and reports every mark that never fired.
//
// The registry is global on purpose: the paths sit deep in the engine, and threading a counter
// object through every constructor to count a handful of events would cost more than it tells.
// A mark only counts; nothing ever reads the counters to decide anything, so they cannot change
// a run and determinism is untouched. A mark costs one property read and one typed-array add.
// The names are a closed list, so a typo is a compile error and the sweep knows every mark even
// when it never fired.

export const coverageMarkNames = [
  /** engine/darq/recovery.ts: the log ended in a torn or partial frame, and recovery cut it off. */
  "darq.recovery.tornTailCut",
  /** engine/darq/step-validate.ts: a step of an older incarnation was refused (fencing). */
  "darq.fencing.staleStepRefused",
  /** engine/runtime/processor-service.ts: a remote processor's step from a fenced or forgotten session was refused. */
  "darq.fencing.staleSessionStepRefused",
  /** engine/darq/inbox.ts: an external (producer, seq) arrived again and was not appended. */
  "darq.dedup.enqueueDuplicate",
  /** engine/darq/inbox.ts: a DARQ-to-DARQ out-message arrived again and was not appended. */
  "darq.dedup.dataDuplicate",
  /** engine/runtime/route-cache.ts: a cached route proved stale (notHere, or a silent target) and was dropped. */
  "runtime.routeCache.staleRoute",
] as const;

export type CoverageMarkName = (typeof coverageMarkNames)[number];

const markIndex = Object.fromEntries(coverageMarkNames.map((name, index) => [name, index])) as Record<CoverageMarkName, number>;
const counts = new Float64Array(coverageMarkNames.length);

/** Counts one pass through the rare path `name`. */
export function coverageMark(name: CoverageMarkName): void {
  counts[markIndex[name]]! += 1;
}

/** The counts so far, one entry per known mark (zero for a mark that never fired). */
export function coverageCounts(): Record<CoverageMarkName, number> {
  const result = {} as Record<CoverageMarkName, number>;
  coverageMarkNames.forEach((name, index) => {
    result[name] = counts[index]!;
  });
  return result;
}

/** Sets every counter back to zero (a sweep starts with this). */
export function coverageReset(): void {
  counts.fill(0);
}

/** The marks whose count is zero, in declaration order. */
export function coverageNeverFired(counted: Readonly<Record<CoverageMarkName, number>>): CoverageMarkName[] {
  return coverageMarkNames.filter((name) => (counted[name] ?? 0) === 0);
}
