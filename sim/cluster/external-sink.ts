// ExternalSink: the world outside the simulated system. Automata send to it like to any automaton
// (ids of the cluster's external types, e.g. `sink/...`, route to its fixed address); it speaks
// the receiving end of the DARQ pair protocol (engine/runtime/reply-inbox.ts), so every message a
// committed step sent arrives here exactly once, in order per sender — which is what makes its
// record the externally visible output that the indistinguishability test compares.
//
// Fault model: none. The sink never crashes (it stands for everything outside the cluster).

import type { Clock } from "../../engine/io/clock.ts";
import type { Address, Transport } from "../../engine/io/transport.ts";
import { wireParse } from "../../engine/darq/index.ts";
import { ReplyInbox } from "../../engine/runtime/reply-inbox.ts";

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
  private readonly inbox: ReplyInbox;

  constructor(transport: Transport, private readonly clock: Clock, readonly address: Address,
    private readonly onOutput?: (output: SinkOutput) => void) {
    this.inbox = new ReplyInbox(transport, address, (to, from, message) => {
      const output = { to, from, message, atUs: this.clock.nowUs() };
      this.outputs.push(output);
      this.onOutput?.(output);
    }, 1_000_000);
    transport.listen(address, (from, raw) => {
      const message = wireParse(raw);
      if (message !== null && message.kind === "data") this.inbox.onData(from, message);
    });
  }
}
