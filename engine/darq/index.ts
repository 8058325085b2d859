// engine/darq public API: the physical DARQ (see physical-darq.ts for the full description), the
// values it takes and gives, its configuration, migration state and wire messages.

export { PhysicalDarq, type PhysicalDarqOptions, type PhysicalDarqStats } from "./physical-darq.ts";
export { Entry, EntryKind, type Lsn, type OutMessage, type Step } from "./entry.ts";
export type { DurableDone, EnqueueDone, RegisterDone, StepDone } from "./group-commit.ts";
export type { InputHandler } from "./logical-darq.ts";
export type { DarqRouter } from "./out-sender.ts";
export type { LogicalState, Migrator } from "./migration.ts";
export { type DarqConfig, darqConfigDefault, darqConfigResolve } from "./darq-config.ts";
export * from "./wire.ts";
