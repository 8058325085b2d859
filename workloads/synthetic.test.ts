// The synthetic workload's idleness and accounting. Proves: within one epoch every request enters
// the current window of active groups (so idleFraction of the automata get nothing), the window
// moves on by its width at the next epoch, and the handler passes a request around its group's
// ring for `hops` messages, each completion carrying the handled message's send time; after
// phaseSwitchS the ring runs across groups.

import test from "ava";
import { RandomNode } from "../engine/io/node/random-node.ts";
import { automatonIdKey } from "../engine/runtime/ids.ts";
import { syntheticDriver, type SyntheticConfig, type SyntheticMessage } from "./synthetic.ts";

const config: SyntheticConfig = { kind: "synthetic", automata: 400, messagesPerS: 1000, idleFraction: 0.9, arrival: { kind: "poisson" } };

function groupsEntered(fromUs: number, count: number): Set<number> {
  const driver = syntheticDriver(config, { random: new RandomNode("synthetic"), mode: "sim" });
  const source = driver.sources[0]!;
  const groups = new Set<number>();
  for (let seq = 1; seq <= count; seq++) groups.add((source.inject(seq, fromUs + seq) as { message: SyntheticMessage }).message.group);
  return groups;
}

test("requests of one epoch enter only the active window, which moves on at the next epoch", (t) => {
  // 100 groups of 4; 10% active = 10 groups: window [0, 10) in epoch 0, [10, 20) in epoch 1.
  const first = groupsEntered(0, 2000);
  t.deepEqual([...first].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const second = groupsEntered(60_000_000, 2000);
  t.deepEqual([...second].sort((a, b) => a - b), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
});

test("a request travels its group's ring for `hops` messages; completions carry the send time", (t) => {
  const driver = syntheticDriver(config, { random: new RandomNode("synthetic"), mode: "sim" }, { hops: 3 });
  const injection = driver.sources[0]!.inject(1, 100);
  const message = injection.message as SyntheticMessage;
  t.is(message.hopsLeft, 2);
  t.is(automatonIdKey(injection.to), `${message.group}.${message.member}`);
  t.is(driver.completionOf(injection.to, message), undefined, "the first message completes nothing yet");
  const next: SyntheticMessage = { ...message, member: (message.member + 1) % 4, hopsLeft: 1, sentUs: 250, previousSentUs: 100 };
  t.like(driver.completionOf(injection.to, next), { outcome: "message", startUs: 100, items: 1 });
  t.is(driver.placementHint(injection.to).group, `g${message.group}`);
});

test("with phaseSwitchS, requests after the switch run a ring across groups", (t) => {
  const switching: SyntheticConfig = { ...config, idleFraction: 0, phaseSwitchS: 1 };
  const driver = syntheticDriver(switching, { random: new RandomNode("synthetic"), mode: "sim" });
  const source = driver.sources[0]!;
  const before = source.inject(1, 500_000).message as SyntheticMessage;
  const after = source.inject(2, 1_600_000).message as SyntheticMessage;
  t.is(before.across, undefined, "0.1 s after the first request: the first phase");
  t.is(after.across, true, "1.1 s after it: the second phase");
  const definition = driver.definitions.find((candidate) => candidate.type === "syn")!;
  const sent: { to: string; message: SyntheticMessage }[] = [];
  const ctx = {
    self: "syn/x", nowUs: () => 2_000_000, random: () => 0, randomInt: () => 0, emit: () => undefined, work: () => undefined,
    send: (to: string, message: SyntheticMessage) => void sent.push({ to, message }), replyTo: undefined, reply: undefined,
  };
  definition.handle(ctx as never, { handled: 0 } as never, after as never);
  const groups = Math.floor(switching.automata / 4);
  t.is(automatonIdKey(sent[0]!.to as never), `${(after.group + 1) % groups}.${after.member}`, "the same member of the next group");
  t.true(sent[0]!.message.across);
});
