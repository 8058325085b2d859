// The committed state of a parked automaton: a deactivation that found nothing unconsumed moved
// its whole logical DARQ into the metadata record (metadata-types.ts, deactivate), so its SELF
// entries are read from there until an activation adopts it on a DARQ node again.

import { ErrorCode } from "../../engine/io/errors.ts";
import { err, ok, type Result } from "../../engine/io/result.ts";
import { EntryKind, type LogicalState } from "../../engine/darq/index.ts";
import type { AnyAutomatonDefinition } from "../../engine/runtime/automaton.ts";
import { replay } from "../../engine/runtime/host-replay.ts";
import type { AutomatonId } from "../../engine/runtime/ids.ts";

export function parkedStateOf(
  definitions: ReadonlyMap<string, AnyAutomatonDefinition>, id: string, parked: LogicalState,
): Result<unknown> {
  const definition = definitions.get(id.slice(0, id.indexOf("/")));
  if (definition === undefined) return err(ErrorCode.argumentInvalid, `no definition for '${id}'`);
  // Entries in log order; their LSNs only order them here (adoption assigns real ones).
  const entries = parked.selves.map((body, at) => ({ kind: EntryKind.self, lsn: at + 1, body, from: "", fromDarq: false, seq: 0 }));
  const replayed = replay(definition, id as AutomatonId, entries, 0);
  return replayed.ok ? ok(replayed.value.state) : replayed;
}
