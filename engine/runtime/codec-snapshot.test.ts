// A snapshot of a state with a map of more than 65,535 keys (the metadata automaton's record per
// automaton at scale) encodes and decodes back to the same state: msgpackr's fast 16-bit map
// header cannot hold it, so snapshots use the variable map size.

import test from "ava";
import { SelfKind, selfDecode, selfSnapshotEncode } from "./codec.ts";

test("a snapshot with a 100,000-key map round-trips", (t) => {
  const automata: Record<string, { darqNode: string; incarnation: number }> = {};
  for (let index = 0; index < 100_000; index++) automata[`syn/${index}`] = { darqNode: `d${index % 1000}`, incarnation: index };
  const decoded = selfDecode(selfSnapshotEncode({ automata }, []));
  t.true(decoded.ok);
  if (decoded.ok && decoded.value.kind === SelfKind.snapshot) t.deepEqual(decoded.value.snapshot, { automata });
  else t.fail("not a snapshot record");
});
