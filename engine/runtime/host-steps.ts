// The three kinds of step an automaton host submits to its logical DARQ, as plain values:
//   input step      consumes one input; SELF = the step's events (if any); OUT = its sends
//   dead letter     consumes one poison input; SELF = the dead-letter record
//   snapshot        consumes durable SELF records; SELF = one snapshot record in their place
// Encoding is here so the host's control flow stays readable and each format has one writer.

import type { OutMessage, Step } from "../darq/index.ts";
import { envelopeEncode, selfDeadLetterEncode, selfEventsEncode, selfSnapshotEncode, type DeadLetter } from "./codec.ts";
import type { StagedStep } from "./context.ts";
import type { AutomatonId } from "./ids.ts";

/** Who submits: the automaton and the incarnation its processor registered with. */
export type StepOwner = { readonly id: AutomatonId; readonly incarnation: number };

/** The step for a handled input. Throws if a message or event cannot be encoded. */
export function inputStep<Event>(
  owner: StepOwner, lsn: number, staged: StagedStep<Event>, nowUs: number,
  beforeSend: ((target: AutomatonId) => void) | undefined,
): Step {
  const out: OutMessage[] = [];
  for (const send of staged.sends) {
    beforeSend?.(send.to);
    out.push({ to: send.to, body: envelopeEncode(send.to, send.message, send.replyTo) });
  }
  const self = staged.events.length === 0 ? [] : [selfEventsEncode(nowUs, staged.events)];
  return { logicalDarq: owner.id, incarnation: owner.incarnation, consumed: [lsn], self, out };
}

export function deadLetterStep(owner: StepOwner, letter: DeadLetter): Step {
  return { logicalDarq: owner.id, incarnation: owner.incarnation, consumed: [letter.lsn], self: [selfDeadLetterEncode(letter)], out: [] };
}

export function snapshotStep(owner: StepOwner, selfLsns: readonly number[], snapshot: unknown, deadLetters: readonly DeadLetter[]): Step {
  return { logicalDarq: owner.id, incarnation: owner.incarnation, consumed: selfLsns, self: [selfSnapshotEncode(snapshot, deadLetters)], out: [] };
}
