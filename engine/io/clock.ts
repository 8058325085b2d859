// The Clock seam: the only way engine code sees time or schedules work.
//
// Contract (every implementation, checked by clock.contract.ts):
// - `nowUs()` is an integer count of microseconds and never goes backwards.
// - `timerStart(delayUs, callback)` runs `callback` once, no earlier than `delayUs` after now,
//   never synchronously inside `timerStart`. Timers due at the same instant fire in the order
//   they were started. `delayUs` is a non-negative integer.
// - `timerCancel(id)` prevents a pending timer from firing; cancelling a fired or cancelled timer
//   is a no-op.
// Implementations: ClockSim (virtual time, sim/) and ClockNode (real time, engine/io/node/).

export type TimerId = number;

export interface Clock {
  nowUs(): number;
  timerStart(delayUs: number, callback: () => void): TimerId;
  timerCancel(id: TimerId): void;
}
