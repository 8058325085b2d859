// Benchmark: messages per second between two OS processes over the live TCP transport on
// loopback. This process sends small DARQ-like messages (an `ack` wire message, ~70 bytes) as
// fast as the transport takes them to a sink peer process (live/transport/transport-tcp-peer.ts),
// which acknowledges its running count once per event-loop turn; the sender keeps at most
// `window` messages unacknowledged, so queues stay bounded and nothing is dropped. The figure is
// messages acknowledged per second of the measured phase, after a warm-up (JIT, TCP windows).
// `npm run bench -- live-msgs [--messages 2000000] [--warmup 200000] [--window 50000]`
// Floor 50,000 messages/s; aim 200,000.

import { performance } from "node:perf_hooks";
import { PeerProcess } from "../live/transport/peer-process.ts";
import { TransportTcp } from "../live/transport/transport-tcp.ts";
import { endpointFormat } from "../live/transport/address-book.ts";
import type { BenchResult } from "./run.ts";

type Options = { messages: number; warmup: number; window: number };

function options(args: string[]): Options {
  const result: Options = { messages: 2_000_000, warmup: 200_000, window: 50_000 };
  const names: Record<string, keyof Options> = { "--messages": "messages", "--warmup": "warmup", "--window": "window" };
  for (let index = 0; index < args.length; index += 2) {
    const key = names[args[index]!];
    const value = Number(args[index + 1]);
    if (key === undefined || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(`unknown or invalid argument ${args[index]} ${args[index + 1]}`);
    }
    result[key] = value;
  }
  return result;
}

/** Longest the whole run may take before it is declared stuck. */
const runMsMax = 300_000;

export async function run(args: string[]): Promise<BenchResult> {
  const { messages, warmup, window } = options(args);
  const secret = `bench-secret-${process.pid}-${performance.now()}`;
  const sender = await TransportTcp.start({ processId: "bench", secret });
  const sink = await PeerProcess.start({
    processId: "sink", listen: "sink", mode: "sink", port: 0, book: { "bench:source": endpointFormat(sender.endpoint) },
  }, secret);
  sender.book.set("sink", `127.0.0.1:${sink.port}`);
  const total = warmup + messages;
  let sent = 0;
  let acked = 0;
  let measuredFromMs = 0;
  let ackedAtStart = 0;
  const message = { kind: "ack", source: "darq:n1/pi/00017", target: "darq:n2/pi/00018", seq: 0 };
  const pump = (): void => {
    const until = Math.min(total, acked + window);
    for (; sent < until; sent++) {
      message.seq = sent;
      sender.send("bench:source", "sink", message, 70);
    }
  };
  try {
    const seconds = await new Promise<number>((resolve, reject) => {
      const stuck = setTimeout(() => reject(new Error(`live-msgs stuck: ${acked} of ${total} acknowledged`)), runMsMax);
      sender.listen("bench:source", (_, reply) => {
        acked = (reply as { acked: number }).acked;
        if (measuredFromMs === 0 && acked >= warmup) {
          measuredFromMs = performance.now();
          ackedAtStart = acked;
        }
        if (sender.stats.messagesDroppedQueueFull > 0) reject(new Error("the window overflowed the sender's queue"));
        if (acked >= total) {
          clearTimeout(stuck);
          resolve((performance.now() - measuredFromMs) / 1000);
        } else pump();
      });
      pump();
    });
    const measured = total - ackedAtStart;
    const perSecond = Math.round(measured / seconds);
    process.stderr.write(`live-msgs: ${measured} messages in ${seconds.toFixed(2)} s, ${sender.stats.framesSent} frames ` +
      `(${(sender.stats.messagesSent / sender.stats.framesSent).toFixed(0)} messages per frame)\n`);
    return {
      bench: "live-msgs", value: perSecond, unit: "messages/s", messages: measured, warmup, window, seconds,
      framesSent: sender.stats.framesSent, bytesSent: sender.stats.bytesSent, floor: 50_000, aim: 200_000,
    };
  } finally {
    await sink.stop();
    await sender.close();
  }
}
