// The DARQ works on all three log devices: the same scenario — host, register, enqueue, steps
// with self- and out-messages between co-located logical DARQs, a checkpoint and prefix
// truncation, then a restart that recovers from the device — runs on LogDeviceMemory (restart =
// a new DARQ object on the same memory), LogDeviceFile (reopened from its directory, real time)
// and LogDeviceSim (virtual time), and must end in the same state.

import test from "ava";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../io/clock.ts";
import type { LogDevice } from "../io/log-device.ts";
import { LogDeviceMemory } from "../io/log-device-memory.ts";
import { ClockNode } from "../io/node/clock-node.ts";
import { LogDeviceFile } from "../io/node/log-device-file.ts";
import type { Transport } from "../io/transport.ts";
import { LogDeviceSim } from "../../sim/log-device-sim.ts";
import { Simulator } from "../../sim/simulator.ts";
import { bytes, text } from "./darq-test-world.ts";
import { type Entry, EntryKind } from "./entry.ts";
import { PhysicalDarq } from "./physical-darq.ts";

const transportNone: Transport = { send() {}, listen() {}, unlisten() {} };
const router = { resolve: () => undefined, invalidate: () => {} };
const config = { commitPeriodUs: 200, compactBytesMin: 4 * 1024, checkpointChunkBytes: 1024 };

/** How a device is driven: open a DARQ on it, and wait until nothing waits for durability. */
type Harness = {
  clock: Clock; device: () => LogDevice; settle: () => Promise<void>; close: () => void; darq?: PhysicalDarq;
};

function open(harness: Harness): PhysicalDarq {
  harness.darq = PhysicalDarq.open({ device: harness.device(), clock: harness.clock, transport: transportNone, router,
    address: "darq", config });
  return harness.darq;
}

/** Real time: checks every few ms until the harness's DARQ has published every batch. */
function quiet(harness: Harness): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (harness.darq !== undefined && harness.darq.unpublishedBatches === 0) resolve();
      else harness.clock.timerStart(2_000, check);
    };
    harness.clock.timerStart(2_000, check);
  });
}

/** Registers and waits; returns the incarnation. */
async function register(harness: Harness, darq: PhysicalDarq, logical: string, onInput: (entry: Entry) => void): Promise<number> {
  let incarnation = -1;
  const result = darq.register(logical, onInput, (failure, value) => {
    if (failure === null) incarnation = value;
  });
  if (!result.ok) throw new Error(result.reason);
  await harness.settle();
  return incarnation;
}

/** 200 messages into "ping"; each step forwards to "pong", whose steps keep a running count. */
async function scenario(harness: Harness): Promise<string[]> {
  let darq = open(harness);
  darq.host("ping");
  darq.host("pong");
  const pingIncarnation = await register(harness, darq, "ping", (entry) => {
    darq.submitStep({ logicalDarq: "ping", incarnation: pingIncarnation, consumed: [entry.lsn], self: [],
      out: [{ to: "pong", body: entry.body }] }, () => {});
  });
  let count = 0;
  let snapshot = 0;
  const pongIncarnation = await register(harness, darq, "pong", (entry) => {
    const consumed = snapshot === 0 ? [entry.lsn] : [entry.lsn, snapshot];
    const result = darq.submitStep({ logicalDarq: "pong", incarnation: pongIncarnation, consumed,
      self: [bytes(`${++count}:${text(entry.body)}`)], out: [] }, () => {});
    if (result.ok) snapshot = result.value;
  });
  for (let seq = 1; seq <= 200; seq++) darq.enqueue("ping", "client", seq, new Uint8Array(64).fill(seq), () => {});
  await harness.settle();
  if (darq.stats.checkpoints === 0) throw new Error("the scenario must reach a checkpoint");
  darq.stop();
  darq = open(harness);
  await register(harness, darq, "pong", () => {});
  const entries = darq.readUnconsumed("pong");
  if (!entries.ok) throw new Error(entries.reason);
  darq.stop();
  return entries.value.map((entry) => `${entry.kind === EntryKind.self ? "self" : "in"} ${text(entry.body).split(":")[0]}`);
}

const expected = ["self 200"];

test("devices: memory", async (t) => {
  const clock = new ClockNode();
  const device = new LogDeviceMemory();
  const harness: Harness = {
    clock, device: () => device, close: () => clock.close(),
    settle: () => quiet(harness),
  };
  t.deepEqual(await scenario(harness), expected);
  t.true(device.begin() > 0, "the prefix was truncated");
  harness.close();
});

test("devices: file", async (t) => {
  const dir = fs.mkdtempSync(join(tmpdir(), "ssms-darq-devices-"));
  const clock = new ClockNode();
  let device: LogDeviceFile | null = null;
  const harness: Harness = {
    clock,
    device: () => {
      device?.close();
      device = LogDeviceFile.open(dir, { segmentBytes: 8 * 1024 });
      return device;
    },
    settle: () => quiet(harness),
    close: () => {
      device?.close();
      clock.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    t.deepEqual(await scenario(harness), expected);
    t.true(device!.begin() > 0, "the prefix was truncated");
  } finally {
    harness.close();
  }
});

test("devices: simulated", async (t) => {
  const sim = new Simulator({ seed: "devices" });
  const device = new LogDeviceSim({ clock: sim.clock, random: sim.random.fork("device"), flushLatencyUs: 500 });
  const harness: Harness = {
    clock: sim.clock, device: () => device, close: () => {},
    settle: () => {
      sim.run();
      return Promise.resolve();
    },
  };
  t.deepEqual(await scenario(harness), expected);
  t.true(device.begin() > 0, "the prefix was truncated");
});
