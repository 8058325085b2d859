// Backpressure end to end: a sender offers far more than a slow handler can take. The receiver's
// inbox stops at its high-water mark (plus at most one frame) because reading pauses; TCP's window
// then closes, the sender's socket writes block, its queue fills to queuedBytesMax and further
// sends are dropped and counted. Memory stays bounded on both sides, and every message is
// accounted for: delivered, or dropped where it was counted.

import test from "ava";
import { performance } from "node:perf_hooks";
import { endpointOf, settle, transportStart } from "./transport-tcp.fixtures.ts";

const inboxMessagesHigh = 1000;
const batchMessagesMax = 256;
const queuedBytesMax = 256 * 1024;

/** Busy work standing in for a slow handler (a real one would be CPU-bound the same way). */
function spin(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until);
}

test("a slow handler bounds the receiver's inbox and the sender's queue; the excess is dropped and counted", async (t) => {
  t.timeout(110_000);
  const limits = { batchMessagesMax, batchBytesMax: 32 * 1024, messageBytesMax: 16 * 1024 };
  const receiver = await transportStart("slow", { ...limits, inboxMessagesHigh, deliverPerTickMax: 128 });
  const sender = await transportStart("fast", { ...limits, queuedBytesMax });
  sender.book.set("slow:handler", endpointOf(receiver));
  let handled = 0;
  receiver.listen("slow:handler", () => {
    handled++;
    spin(10);
  });
  const rounds = 100;
  const perRound = 1000;
  const payload = "p".repeat(100);
  try {
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < perRound; index++) sender.send("fast:source", "slow:handler", { round, index, payload }, 128);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await settle([sender, receiver]);
    const sent = sender.stats.messagesSent;
    t.is(sent, rounds * perRound);
    t.true(receiver.stats.readPauses > 0, "the receiver paused reading");
    t.true(sender.stats.writeBlocks > 0, "the sender's writes blocked");
    t.true(receiver.stats.inboxPeak <= inboxMessagesHigh + batchMessagesMax,
      `inbox peaked at ${receiver.stats.inboxPeak}, bound ${inboxMessagesHigh} + one frame of ${batchMessagesMax}`);
    t.true(sender.stats.queuedBytesPeak <= queuedBytesMax, `sender queue peaked at ${sender.stats.queuedBytesPeak} bytes`);
    t.true(sender.stats.messagesDroppedQueueFull > 0, "the excess was dropped at the sender");
    t.is(receiver.stats.messagesDelivered + sender.stats.messagesDroppedQueueFull, sent, "every message accounted for");
    t.is(handled, receiver.stats.messagesDelivered);
    t.log(`${sent} offered: ${handled} handled, ${sender.stats.messagesDroppedQueueFull} dropped at the sender; ` +
      `inbox peak ${receiver.stats.inboxPeak}, ${receiver.stats.readPauses} read pauses, ${sender.stats.writeBlocks} write blocks`);
  } finally {
    await Promise.all([sender.close(), receiver.close()]);
  }
});
