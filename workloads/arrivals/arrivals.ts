// The arrival-process factory: turns a config's `arrival` block and the workload's base rate
// into a generator. Workloads call this once per source of requests, each with its own named
// fork of the run's Random, so adding a source does not shift the arrivals of the others.

import { assert, unreachable } from "../../engine/io/assert.ts";
import type { Random } from "../../engine/io/random.ts";
import type { ArrivalProcess, ArrivalSpec } from "./arrival-process.ts";
import { ArrivalsBursty } from "./arrivals-bursty.ts";
import { ArrivalsDiurnal } from "./arrivals-diurnal.ts";
import { ArrivalsConstant, ArrivalsPoisson } from "./arrivals-steady.ts";
import { ArrivalsTrace } from "./arrivals-trace.ts";

export { arrivalNever, type ArrivalKind, type ArrivalProcess, type ArrivalSpec } from "./arrival-process.ts";
export { ArrivalsBursty } from "./arrivals-bursty.ts";
export { ArrivalsDiurnal } from "./arrivals-diurnal.ts";
export { ArrivalsConstant, ArrivalsPoisson } from "./arrivals-steady.ts";
export { ArrivalsTrace } from "./arrivals-trace.ts";
export { parseArrivalTrace } from "./trace-parse.ts";

/**
 * A generator for `spec` at base rate `ratePerS`. A trace spec needs the parsed times
 * (`traceTimesUs`, read and parsed by the runner); the other kinds ignore them.
 */
export function arrivalProcessOf(spec: ArrivalSpec, ratePerS: number, random: Random, traceTimesUs?: ArrayLike<number>): ArrivalProcess {
  switch (spec.kind) {
    case "constant":
      return new ArrivalsConstant(ratePerS);
    case "poisson":
      return new ArrivalsPoisson(random, ratePerS);
    case "bursty":
      return new ArrivalsBursty(random, { ratePerS, burstMultiplier: spec.burstMultiplier, burstDurationUs: spec.burstDurationUs, burstPeriodUs: spec.burstPeriodUs });
    case "diurnal":
      return new ArrivalsDiurnal(random, {
        ratePerS,
        amplitude: spec.amplitude,
        ...(spec.periodUs === undefined ? {} : { periodUs: spec.periodUs }),
        ...(spec.peakAtUs === undefined ? {} : { peakAtUs: spec.peakAtUs }),
      });
    case "trace":
      assert(traceTimesUs !== undefined, `a trace arrival process needs the parsed times of '${spec.path}' (the runner reads the file)`);
      return new ArrivalsTrace(traceTimesUs, {
        ...(spec.timeScale === undefined ? {} : { timeScale: spec.timeScale }),
        ...(spec.loop === undefined ? {} : { loop: spec.loop }),
      });
    default:
      return unreachable(spec, "unknown arrival kind");
  }
}

/** The long-run mean arrival rate of `spec` at base rate `ratePerS` (trace: undefined). */
export function meanArrivalRatePerS(spec: ArrivalSpec, ratePerS: number): number | undefined {
  switch (spec.kind) {
    case "constant":
    case "poisson":
    case "diurnal":
      return ratePerS;
    case "bursty":
      return ArrivalsBursty.meanRatePerS({ ratePerS, burstMultiplier: spec.burstMultiplier, burstDurationUs: spec.burstDurationUs, burstPeriodUs: spec.burstPeriodUs });
    case "trace":
      return undefined;
    default:
      return unreachable(spec, "unknown arrival kind");
  }
}
