// Number formatting for generated pages: the same number always gives the same text on any
// machine (no locale), three significant digits, thousands grouped with a thin space.

/** 1234567 → "1 230 000", 0.01234 → "0.0123", NaN → "n/a". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value === 0) return "0";
  const rounded = Number(value.toPrecision(3));
  if (Math.abs(rounded) < 1000) return String(rounded);
  const [whole, fraction] = String(Math.round(rounded)).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A ratio as "×12.3". */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `×${formatNumber(value)}` : "n/a";
}
