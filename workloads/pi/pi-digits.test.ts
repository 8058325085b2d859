// piDigits computes pi correctly: known prefixes, the Feynman point (six nines from decimal 762),
// the published last digits of the first 1,000 and 10,000 decimals, agreement with an independent
// algorithm (Gibbons' unbounded spigot) digit for digit, and truncation rather than rounding.

import test from "ava";
import { piDecimalsMax, piDigits, piScaled } from "./pi-digits.ts";

const pi100 =
  "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679";

/** Gibbons' streaming spigot (2006): a different algorithm, used only as a cross-check. */
function spigotDigits(count: number): string {
  let [q, r, t, k, n, l] = [1n, 0n, 1n, 1n, 3n, 3n];
  let digits = "";
  while (digits.length < count) {
    if (4n * q + r - t < n * t) {
      digits += n.toString();
      [q, r, n] = [q * 10n, 10n * (r - n * t), (10n * (3n * q + r)) / t - 10n * n];
    } else {
      [q, r, t, k, n, l] = [q * k, (2n * q + r) * l, t * l, k + 1n, (q * (7n * k + 2n) + r * l) / (t * l), l + 2n];
    }
  }
  return digits;
}

test("known prefixes of pi", (t) => {
  t.is(piDigits(0), "3");
  t.is(piDigits(1), "3.1");
  t.is(piDigits(5), "3.14159");
  t.is(piDigits(100), pi100);
  t.is(piScaled(10), 31415926535n);
});

test("decimals are truncated, not rounded: the 6th decimal is 2 though the 7th is 6", (t) => {
  t.is(piDigits(6), "3.141592");
});

test("the Feynman point and the published ends of 1,000 and 10,000 decimals", (t) => {
  const thousand = piDigits(1000);
  t.is(thousand.length, 1002);
  t.is(thousand.slice(2).indexOf("999999") + 1, 762);
  t.is(thousand.slice(-10), "2164201989");
  t.is(piDigits(10_000).slice(-10), "5256375678");
});

test("Machin's formula agrees digit for digit with an independent spigot over 600 digits", (t) => {
  const machin = piDigits(599).replace(".", "");
  t.is(machin, spigotDigits(600));
});

test("out-of-range decimals are refused", (t) => {
  t.throws(() => piDigits(-1));
  t.throws(() => piDigits(1.5));
  t.throws(() => piDigits(piDecimalsMax + 1));
});
