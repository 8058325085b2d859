// Planted bugs: test-only switches that break one guarantee on purpose, so that the VOPR's own
// test can prove the VOPR finds a real violation, shrinks its fault schedule and replays it. A
// checker that has never caught anything proves nothing; this is how it catches something.
//
// Every switch is off unless a test (or `ssms vopr --plant NAME`, which says so loudly) turns it
// on, and the line that reads it sits next to the guarantee it breaks:
//
//   dedupOff            engine/darq/inbox.ts: an external (producer, seq) that was accepted
//                       before is appended again under a fresh producer id, as if exactly-once
//                       enqueue (DARQ property 4) had no duplicate check. Any client retry then
//                       doubles an effect, with or without faults (a slow blob flush is enough).
//   dedupNotRecovered   engine/darq/recovery.ts: recovery forgets the producers' dedup tables,
//                       breaking "also after a crash" of property 4. Only a crash shows it: a
//                       client resending a message that was durable before the crash gets it
//                       accepted twice. This is the VOPR test's planted bug, since it needs a fault;
//                       the VOPR's "unacknowledged crash" episodes (sim/vopr/vopr-unacked.ts) are
//                       that fault, so about a quarter of seeds catch it.
//
// Global, like the coverage marks, because the paths sit deep in the engine; the VOPR sets the
// switches for one run and clears them afterwards (see sim/vopr/vopr-run.ts).

export const plantedBugNames = ["dedupOff", "dedupNotRecovered"] as const;

export type PlantedBugName = (typeof plantedBugNames)[number];

export const plantedBugs: Record<PlantedBugName, boolean> = { dedupOff: false, dedupNotRecovered: false };

/** Turns on exactly the named bugs (every other switch off). */
export function plantedBugsSet(names: readonly PlantedBugName[]): void {
  for (const name of plantedBugNames) plantedBugs[name] = names.includes(name);
}

/** Whether `name` is a known planted bug (for command-line and file input). */
export function isPlantedBugName(name: unknown): name is PlantedBugName {
  return typeof name === "string" && (plantedBugNames as readonly string[]).includes(name);
}
