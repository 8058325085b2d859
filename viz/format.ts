// Fixed number formatting for figures and reports. Output must be byte-identical for identical
// input on any machine, so nothing here uses the locale (toLocaleString differs by ICU data) and
// every rounding is explicit.

/** Rounds to 2 decimals for SVG coordinates; -0 becomes 0. */
export function px(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

/** `value.toFixed(decimals)` without a "-0". */
export function formatFixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** `digits` significant digits (the integer part is never cut), no trailing zeros: 0.12345 → "0.123". */
export function formatSignificant(value: number, digits = 3): string {
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? "0" : String(value);
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  const text = formatFixed(value, Math.min(decimals, 12));
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

const prefixes = [
  { factor: 1e12, suffix: "T" },
  { factor: 1e9, suffix: "G" },
  { factor: 1e6, suffix: "M" },
  { factor: 1e3, suffix: "k" },
] as const;

/** Compact tick text: 1500 → "1.5k", 2e6 → "2M", 0.25 → "0.25", 1e-5 → "1e-5". */
export function formatCompact(value: number): string {
  const size = Math.abs(value);
  for (const { factor, suffix } of prefixes) {
    if (size >= factor) return `${formatSignificant(value / factor, 3)}${suffix}`;
  }
  if (size !== 0 && size < 1e-3) {
    const exponent = Math.floor(Math.log10(size));
    return `${formatSignificant(value / 10 ** exponent, 2)}e${exponent}`;
  }
  return formatSignificant(value, 3);
}

/** An integer with "," between thousands (locale-free). */
export function formatInteger(value: number): string {
  const sign = value < 0 ? "-" : "";
  const digits = String(Math.round(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A table cell: from 1000 up rounded and grouped, smaller numbers to 4 significant digits. */
export function formatCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return formatInteger(value);
    return Math.abs(value) >= 1e3 ? formatInteger(value) : formatSignificant(value, 4);
  }
  return String(value);
}
