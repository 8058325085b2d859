// TransportTcp against a real peer process: messages cross process boundaries both ways; the
// peer is killed with SIGKILL and restarted on the same port, and the sender's persistent
// connection is re-established on its own. Messages sent while the peer is down wait in the
// sender's queue and arrive after the restart; messages inside the connection at the moment of
// the kill may be lost (TCP cannot say), so the second test resends unanswered messages on a
// timer, as the DARQ out-sender does, and requires that every one is eventually answered.

import test from "ava";
import type { TransportTcp } from "./transport-tcp.ts";
import { PeerProcess } from "./peer-process.ts";
import { endpointOf, secretTest, transportStart, waitFor } from "./transport-tcp.fixtures.ts";

type Echoes = Set<number>;

async function parentStart(): Promise<{ parent: TransportTcp; echoes: Echoes }> {
  const parent = await transportStart("parent", { reconnectDelayMsMin: 10, reconnectDelayMsMax: 200 });
  const echoes: Echoes = new Set();
  parent.listen("parent:inbox", (from, message) => {
    if (from === "echo:child") echoes.add((message as { n: number }).n);
  });
  return { parent, echoes };
}

function childStart(parent: TransportTcp, port: number): Promise<PeerProcess> {
  return PeerProcess.start({
    processId: "child", listen: "echo:child", mode: "echo", port, book: { "parent:inbox": endpointOf(parent) },
  }, secretTest);
}

function sendRange(parent: TransportTcp, first: number, count: number): void {
  for (let n = first; n < first + count; n++) parent.send("parent:inbox", "echo:child", { n, pad: "x".repeat(n % 50) }, 64);
}

const rangeOf = (first: number, count: number): number[] => Array.from({ length: count }, (_, index) => first + index);

test.serial("after a SIGKILL and restart of the peer, the sender reconnects and queued messages arrive", async (t) => {
  t.timeout(90_000);
  const { parent, echoes } = await parentStart();
  let child = await childStart(parent, 0);
  const port = child.port;
  try {
    parent.book.set("echo:child", `127.0.0.1:${port}`);
    sendRange(parent, 0, 100);
    await waitFor(() => echoes.size === 100, "100 echoes from the first child");
    await child.kill();
    await waitFor(() => parent.stats.disconnects >= 1, "the parent to notice the kill");
    sendRange(parent, 100, 50);
    t.true(parent.stats.messagesDroppedQueueFull === 0);
    child = await childStart(parent, port);
    await waitFor(() => echoes.size === 150, "the 50 queued messages to come back from the restarted child");
    t.deepEqual([...echoes].sort((x, y) => x - y), rangeOf(0, 150));
    t.true(parent.stats.connectsSucceeded >= 2, "a second connection was made");
    t.is(parent.stats.authFailures + parent.stats.authRejected + parent.stats.framesRejected, 0);
  } finally {
    await child.kill();
    await parent.close();
  }
});

test.serial("a peer killed mid-stream: with resends, every message is answered once traffic resumes", async (t) => {
  t.timeout(90_000);
  const { parent, echoes } = await parentStart();
  let child = await childStart(parent, 0);
  const port = child.port;
  parent.book.set("echo:child", `127.0.0.1:${port}`);
  const total = 20_000;
  let sent = 0;
  let killed = false;
  // A sender with a window and a resend timer, as the DARQ out-sender would be.
  const pump = setInterval(() => {
    const window = 2000;
    const burst = Math.min(total - sent, window - (sent - echoes.size));
    if (burst > 0) sendRange(parent, sent, burst);
    sent += Math.max(burst, 0);
  }, 2);
  const resend = setInterval(() => {
    for (let n = 0; n < sent; n++) if (!echoes.has(n)) parent.send("parent:inbox", "echo:child", { n, pad: "" }, 64);
  }, 250);
  try {
    await waitFor(() => echoes.size >= total / 4, "a quarter of the stream");
    await child.kill();
    killed = true;
    child = await childStart(parent, port);
    await waitFor(() => echoes.size === total, () => `all ${total} answers (${echoes.size} so far)`, 60_000);
    t.true(killed);
    t.deepEqual([...echoes].sort((x, y) => x - y), rangeOf(0, total));
    t.true(parent.stats.disconnects >= 1 && parent.stats.connectsSucceeded >= 2);
    t.log(`parent: ${parent.stats.framesSent} frames for ${parent.stats.messagesSent} messages sent, ` +
      `${parent.stats.messagesDelivered} received, ${parent.stats.connectsAttempted} connection attempts`);
  } finally {
    clearInterval(pump);
    clearInterval(resend);
    await child.kill();
    await parent.close();
  }
});
