// Pi to a given number of decimals: the work each step of the pi-chain workload does (paper §4.4).
// Live mode runs it for real; the simulator charges its calibrated cost instead (pi-work.ts).
//
// Machin's formula, pi = 16·atan(1/5) − 4·atan(1/239), in BigInt fixed point. Each series term is
// one BigInt division of a (decimals)-digit number by a small one, and the number of terms grows
// linearly with the decimals, so the cost grows with the square of the decimals. That is why the
// compute scale maps to decimals through a square root (pi-work.ts): work then grows linearly
// with the scale factor.
//
// Accuracy: every truncated division errs by less than one unit in the last place, so after T
// terms the fixed-point sum is off by less than 4·(T + 1) + 16·(T + 1) units; `guardDigits` extra
// digits absorb that for any T below 10^guardDigits / 20, and the guard digits are cut off at the
// end. A wrong final digit would need a run of `guardDigits` nines or zeros right after it.

import { assert } from "../../engine/io/assert.ts";

const guardDigits = 12;

/** Largest number of decimals piDigits accepts (about 3 minutes of one core; STYLE 6). */
export const piDecimalsMax = 1_000_000;

/** atan(1/x) scaled by `unity`, by its Taylor series, summed until the terms vanish. */
function arctanInverse(x: bigint, unity: bigint): bigint {
  const xSquared = x * x;
  let power = unity / x;
  let sum = power;
  let divisor = 1n;
  let negative = true;
  for (;;) {
    power /= xSquared;
    divisor += 2n;
    const term = power / divisor;
    if (term === 0n) return sum;
    sum = negative ? sum - term : sum + term;
    negative = !negative;
  }
}

/** Pi scaled by 10^decimals and truncated: 314159… with decimals + 1 digits. */
export function piScaled(decimals: number): bigint {
  assert(Number.isInteger(decimals) && decimals >= 0 && decimals <= piDecimalsMax, `pi decimals must be an integer in [0, ${piDecimalsMax}], got ${decimals}`);
  const unity = 10n ** BigInt(decimals + guardDigits);
  const pi = 4n * (4n * arctanInverse(5n, unity) - arctanInverse(239n, unity));
  return pi / 10n ** BigInt(guardDigits);
}

/** Pi with `decimals` digits after the point, as text: piDigits(5) is "3.14159". */
export function piDigits(decimals: number): string {
  const digits = piScaled(decimals).toString();
  return decimals === 0 ? digits : `${digits.slice(0, 1)}.${digits.slice(1)}`;
}
