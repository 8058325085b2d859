// Fixed, locale-free number formatting: the same number always prints the same text.

import test from "ava";
import { formatCell, formatCompact, formatFixed, formatInteger, formatSignificant, px } from "./format.ts";

test("compact tick text uses k/M/G and never shows long decimals", (t) => {
  t.deepEqual([0, 0.25, 1, 12.5, 999, 1000, 1500, 2_000_000, 3.5e9, 0.00012].map(formatCompact), ["0", "0.25", "1", "12.5", "999", "1k", "1.5k", "2M", "3.5G", "1.2e-4"]);
});

test("fixed and significant formatting drop negative zero and trailing zeros", (t) => {
  t.is(formatFixed(-0.0001, 2), "0.00");
  t.is(formatSignificant(0.123456, 3), "0.123");
  t.is(formatSignificant(2.5, 3), "2.5");
  t.is(px(-0.001), 0);
  t.is(px(10.126), 10.13);
});

test("integers are grouped with commas regardless of the machine's locale", (t) => {
  t.is(formatInteger(1234567), "1,234,567");
  t.is(formatInteger(-1000), "-1,000");
  t.is(formatCell(12345.678), "12,346");
  t.is(formatCell(3.14159), "3.142");
  t.is(formatCell(null), "");
  t.is(formatCell(true), "true");
});
