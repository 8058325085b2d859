// The cost-performance Pareto frontier: the configurations no other configuration beats on both
// throughput (higher is better) and cost (lower is better). Drawn as a step line, it reads as
// "the cheapest way to reach at least this throughput".

export type ParetoPoint = { readonly throughputPerS: number; readonly costUsdPerMonth: number };

/**
 * Indices of the non-dominated points, ordered by throughput ascending (so cost ascends too).
 * Of exact duplicates only the first is kept. Points with a non-finite value are never on it.
 */
export function paretoFrontier(points: readonly ParetoPoint[]): number[] {
  const order = points
    .map((point, index) => ({ point, index }))
    .filter(({ point }) => Number.isFinite(point.throughputPerS) && Number.isFinite(point.costUsdPerMonth))
    .sort((a, b) => b.point.throughputPerS - a.point.throughputPerS || a.point.costUsdPerMonth - b.point.costUsdPerMonth || a.index - b.index);
  const frontier: number[] = [];
  let cheapestUsdPerMonth = Infinity;
  for (const { point, index } of order) {
    if (point.costUsdPerMonth < cheapestUsdPerMonth) {
      frontier.push(index);
      cheapestUsdPerMonth = point.costUsdPerMonth;
    }
  }
  return frontier.reverse();
}

/** True when `a` is at least as good as `b` on both axes and strictly better on one. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  const noWorse = a.throughputPerS >= b.throughputPerS && a.costUsdPerMonth <= b.costUsdPerMonth;
  return noWorse && (a.throughputPerS > b.throughputPerS || a.costUsdPerMonth < b.costUsdPerMonth);
}
