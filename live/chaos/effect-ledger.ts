// The end-to-end effect ledger of a chaos run: every externally visible effect (a message that
// left the system through the sink) is attributed to the business key it belongs to — a trip, a
// pi job — and compared with the keys the run started. Exactly-once means each started key shows
// exactly one effect: a key with none is lost work, a key with two is a duplicated effect (a
// step that ran twice and was committed twice), a key nobody started is a fabricated one.
// The pair protocol's resends never reach the ledger (the sink's ReplyInbox drops them), so any
// duplicate here is a real violation of the engine's guarantees.

export type LedgerEffect = { readonly from: string; readonly message: unknown };

export type LedgerReport = {
  readonly expected: number;
  readonly effects: number;
  /** Started keys with no effect. */
  readonly lost: readonly string[];
  /** Keys with more than one effect, with their count. */
  readonly duplicated: readonly { readonly key: string; readonly count: number }[];
  /** Keys with effects that no arrival started. */
  readonly unexpected: readonly string[];
};

/**
 * Checks `effects` against `expectedKeys`; `keyOf` maps an effect to its key (undefined: the
 * effect is not this ledger's, e.g. another workload's).
 */
export function ledgerCheck(effects: readonly LedgerEffect[], expectedKeys: Iterable<string>, keyOf: (effect: LedgerEffect) => string | undefined): LedgerReport {
  const counts = new Map<string, number>();
  let mine = 0;
  for (const effect of effects) {
    const key = keyOf(effect);
    if (key === undefined) continue;
    mine++;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const expected = new Set(expectedKeys);
  const lost = [...expected].filter((key) => !counts.has(key)).sort();
  const duplicated = [...counts].filter(([, count]) => count > 1).map(([key, count]) => ({ key, count })).sort((a, b) => a.key.localeCompare(b.key));
  const unexpected = [...counts.keys()].filter((key) => !expected.has(key)).sort();
  return { expected: expected.size, effects: mine, lost, duplicated, unexpected };
}

/** True when every started key has exactly one effect and no other key has any. */
export function ledgerExact(report: LedgerReport): boolean {
  return report.lost.length === 0 && report.duplicated.length === 0 && report.unexpected.length === 0 && report.effects === report.expected;
}
