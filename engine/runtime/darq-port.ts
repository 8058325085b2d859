// DarqPort: what a processor (an AutomatonHost) needs from the DARQ that holds its automaton's
// logical DARQ. PhysicalDarq has exactly this shape, so a processor co-located with its DARQ calls
// it in-process; RemoteDarq (remote-darq.ts) gives a processor on another machine the same
// interface over the Transport. The host cannot tell the two apart.

import type { Result } from "../io/result.ts";
import type { Entry, InputHandler, Lsn, RegisterDone, Step, StepDone } from "../darq/index.ts";

export interface DarqPort {
  /** Hosts the logical DARQ if it is not hosted yet (true: newly hosted). */
  host(logicalDarq: string): Result<boolean>;
  /** Registers a new processor incarnation; `done` once durable, then `onInput` per new IN entry. */
  register(logicalDarq: string, onInput: InputHandler, done: RegisterDone): Result<number>;
  /** After registration: SELF entries in log order, then IN entries. */
  readUnconsumed(logicalDarq: string): Result<Entry[]>;
  /** Submits a step; the answer is the LSN of its first self-message; `done` once durable. */
  submitStep(step: Step, done: StepDone): Result<Lsn>;
  /** Steps whose self-message LSNs are below this are durable. */
  readonly lsnDurable: Lsn;
}
