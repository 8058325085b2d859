// ExternalSink: the world outside the system, in the simulator and in live mode alike. Automata send to it like to any automaton
// (ids of the cluster's external types, e.g. `sink/...`, route to its fixed address); it speaks
// the receiving end of the DARQ pair protocol (engine/runtime/reply-inbox.ts), so every message a
// committed step sent arrives here exactly once, in order per sender — which is what makes its
// record the externally visible output that the indistinguishability test compares.
//
// Fault model: none. The sink never crashes (it stands for everything outside the cluster).

import type { Clock } from "../io/clock.ts";
import type { Address, Transport } from "../io/transport.ts";
import { wireParse } from "../darq/index.ts";
import { ReplyInbox } from "./reply-inbox.ts";

/** One message that left the system. */
export type SinkOutput = {
  /** The target id (`sink/...`). */
  readonly to: string;
  /** The sending automaton. */
  readonly from: string;
  readonly message: unknown;
  readonly atUs: number;
};

export class ExternalSink {
  readonly outputs: SinkOutput[] = [];
  /** Message bodies received, duplicates included (what the transport delivered, before dedup). */
  deliveries = 0;
  /** Called once per output, in arrival order. */
  onOutput: ((output: SinkOutput) => void) | null = null;
  private readonly inbox: ReplyInbox;

  constructor(transport: Transport, private readonly clock: Clock, readonly address: Address) {
    this.inbox = new ReplyInbox(transport, address, (to, from, message) => {
      const output = { to, from, message, atUs: this.clock.nowUs() };
      this.outputs.push(output);
      this.onOutput?.(output);
    }, 1_000_000);
    transport.listen(address, (from, raw) => {
      const message = wireParse(raw);
      if (message === null || message.kind !== "data") return;
      this.deliveries += message.bodies.length;
      this.inbox.onData(from, message);
    });
  }
}
