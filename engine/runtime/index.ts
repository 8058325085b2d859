// engine/runtime public API for automata: define them (automaton.ts), name them (ids.ts), test
// their steps (step-builder.ts), encode their messages (codec.ts), host them on a DARQ
// (automaton-host.ts, runtime-local.ts). See README.md in this folder for an example.

export {
  defineAutomaton, type AnyAutomatonDefinition, type AutomatonBehaviour, type AutomatonDefinition, type AutomatonSpec,
  type EventOf, type MessageOf, type SnapshotHooks, type StateOf,
} from "./automaton.ts";
export { AutomatonHost } from "./automaton-host.ts";
export {
  envelopeDecode, envelopeEncode, messageEncode, packr, type DeadLetter, type Envelope,
} from "./codec.ts";
export type { StagedSend, StagedStep, StepContext, StepInfo, StepInputs } from "./context.ts";
export {
  hostConfigDefault, hostConfigResolve, type AutomatonHostOptions, type HostConfig, type HostReport, type HostStats,
  type HostStatus,
} from "./host-config.ts";
export {
  automatonId, automatonIdCheck, automatonIdKey, automatonIdParse, automatonIdType, automatonRef, type AutomatonId,
  type AutomatonRef,
} from "./ids.ts";
export { plainDataProblem, type IsPlainData, type PlainValue } from "./plain-data.ts";
export { RuntimeLocal, type ProducerSeq, type RuntimeLocalOptions } from "./runtime-local.ts";
export { applyEvents, buildStep, StepBuilder, type StepBuilt, type StepFailure } from "./step-builder.ts";
