// "Unacknowledged crash" episodes: the fault pattern producer dedup exists for. A DARQ node's
// replies to the clients are cut off (an asymmetric partition: the world host still reaches the
// node, the node no longer reaches the world host) shortly before a client sends; the node makes
// the message durable but its acknowledgement is lost, the client keeps retrying, and the node
// crashes and restarts while the partition lasts. Every retry that reaches the restarted node is
// a duplicate of a message accepted before the crash, which only the recovered dedup table can
// refuse (DARQ property 4, "also after a crash").
//
// The general fault model makes this rare: a crash lands between a message's durable flush and
// its acknowledgement only by chance, a window of one round trip. Drawing the episode around a
// client send makes the window a matter of course, the way a lossy link makes duplicates one.
// Each episode is four plain faults (partition, crash, restart, heal), so shrinking can drop any
// of them and a replay file holds them like every other fault.

import type { Random } from "../../engine/io/random.ts";
import type { SwarmInjection } from "../cluster/swarm.ts";
import { worldHost } from "../cluster/cluster-nodes.ts";
import { pick } from "../distributions.ts";
import type { Fault } from "../faults/fault.ts";

/** `count` episodes, each on a random DARQ node around a random client injection. */
export function unackedCrashesDraw(random: Random, count: number, darqs: readonly string[],
  injections: readonly SwarmInjection[]): Fault[] {
  const faults: Fault[] = [];
  if (darqs.length === 0 || injections.length === 0) return faults;
  for (let episode = 0; episode < count; episode++) {
    const node = pick(random, darqs);
    const sendUs = pick(random, injections).atUs;
    const cutUs = Math.max(0, sendUs - random.intRange(0, 20_000));
    // After the send's durable flush (a blob tier's takes up to 150 ms at p99, plus batching).
    const crashUs = sendUs + random.intRange(150_000, 600_000);
    const restartUs = crashUs + random.intRange(10_000, 300_000);
    const healUs = restartUs + random.intRange(20_000, 300_000);
    faults.push(
      { timeUs: cutUs, fault: "networkPartition", targets: [node, worldHost], params: { groups: [[node], [worldHost]], asymmetric: true } },
      { timeUs: crashUs, fault: "crash", targets: [node], params: {} },
      { timeUs: restartUs, fault: "restart", targets: [node], params: {} },
      { timeUs: healUs, fault: "heal", targets: [], params: {} },
    );
  }
  return faults;
}
