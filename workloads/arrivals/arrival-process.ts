// Arrival processes: when requests (bookings, events, frames, new chains) enter a workload.
//
// A process is a pure, deterministic generator over the Random seam: the same seed and the same
// calls give the same arrival times on any machine. It is an iterator without allocation: the
// workload asks `nextArrivalUs(afterUs)` once per arrival, schedules that arrival, and asks again
// when it fires. Times are integer microseconds (the simulator's unit), but every process keeps
// its own position as a float, so the long-run rate is exact even when arrivals are closer than
// one microsecond (several arrivals may then share a microsecond).
//
// The workload's rate (arrivalsPerS, eventsPerS, ...) is the base rate; the arrival kind only
// shapes it over time. Each process documents its long-run mean rate in terms of that base.

/** Returned by `nextArrivalUs` once a process has no more arrivals (an exhausted trace). */
export const arrivalNever = Number.POSITIVE_INFINITY;

export interface ArrivalProcess {
  /**
   * The time of the next arrival, an integer number of microseconds that is ≥ `afterUs` and ≥
   * every arrival returned before. Pass the previous arrival's time, or the start time on the
   * first call; passing a later time makes the process skip ahead to it (a workload that starts
   * late or pauses). Returns `arrivalNever` when the process has ended.
   */
  nextArrivalUs(afterUs: number): number;
}

/** The arrival kinds a config may name; mirrors experiments/schema-workload.ts structurally. */
export type ArrivalSpec =
  | { readonly kind: "constant" }
  | { readonly kind: "poisson" }
  | {
      readonly kind: "bursty";
      readonly burstMultiplier: number;
      readonly burstDurationUs: number;
      readonly burstPeriodUs: number;
    }
  | { readonly kind: "diurnal"; readonly amplitude: number; readonly periodUs?: number; readonly peakAtUs?: number }
  | { readonly kind: "trace"; readonly path: string; readonly timeScale?: number; readonly loop?: boolean };

export type ArrivalKind = ArrivalSpec["kind"];

export const microsecondsPerSecond = 1_000_000;

/** One day in microseconds: the default diurnal period. */
export const dayUs = 86_400 * microsecondsPerSecond;

/** Mean gap between arrivals at `ratePerS`, in (fractional) microseconds. */
export function meanGapUs(ratePerS: number): number {
  return microsecondsPerSecond / ratePerS;
}

/** Turns a float position into the integer arrival time it falls in. */
export function arrivalTimeUs(positionUs: number): number {
  // Flooring keeps the returned time ≤ the position, so a caller that passes it back as
  // `afterUs` never pushes the float position forward (which would bias the rate down).
  return Math.floor(positionUs);
}
