// Tests of the usage ledger: it records VM run segments, per-invocation billed durations under
// each provider's rule, storage requests and byte-seconds, bytes per zone pair and catalog
// requests against virtual time, and its saved form validates and survives JSON.

import test from "ava";
import { AssertionError } from "../engine/io/assert.ts";
import { ClockSim } from "./clock-sim.ts";
import { EventQueue } from "./event-queue.ts";
import { UsageLedger } from "./ledger.ts";
import { egressZone, parseLedgerData } from "./pricing/ledger-data.ts";

const second = 1_000_000;
const azureRule = { stepUs: 1000, minUs: 100_000 };
const lambdaRule = { stepUs: 1000, minUs: 0 };

function setup(durationRules = [azureRule, lambdaRule]) {
  const queue = new EventQueue();
  const clock = new ClockSim(queue);
  const ledger = new UsageLedger({ clock, durationRules });
  return { ledger, at: (timeUs: number) => queue.advanceTo(timeUs) };
}

test("VM time is recorded as start–stop segments; a restart adds one, a running VM is cut at the end", (t) => {
  const { ledger, at } = setup();
  const vm = ledger.vmStart("darq-1", "Standard_D8s_v3", false);
  at(10 * second);
  ledger.vmStop(vm);
  at(20 * second);
  t.is(ledger.vmStart("darq-1", "Standard_D8s_v3", false), vm, "same id, same handle");
  ledger.vmStart("worker-1", "Standard_F4s_v2", true);
  at(35 * second);
  const data = ledger.toData();
  t.deepEqual(data.vms, [
    { id: "darq-1", size: "Standard_D8s_v3", spot: false, segmentsUs: [[0, 10 * second], [20 * second, 35 * second]] },
    { id: "worker-1", size: "Standard_F4s_v2", spot: true, segmentsUs: [[20 * second, 35 * second]] },
  ]);
  t.is(data.endUs, 35 * second);
});

test("invocations accumulate billed durations under every rule: Azure's 100 ms minimum, Lambda's 1 ms steps", (t) => {
  const { ledger } = setup();
  const fn = ledger.functionRegister("pi", 512);
  ledger.invocation(fn, 30_000, true); // Azure bills 100 ms, Lambda 30 ms
  ledger.invocation(fn, 150_200); // both round up to 151 ms
  ledger.invocation(fn, 99_999); // Azure 100 ms, Lambda 100 ms
  const [record] = ledger.toData().functions;
  t.deepEqual(record, {
    id: "pi", memoryMb: 512, invocations: 3, coldStarts: 1, durationUsTotal: 30_000 + 150_200 + 99_999,
    billedUsByRule: [100_000 + 151_000 + 100_000, 30_000 + 151_000 + 100_000],
  });
});

test("by default the ledger keeps the rules of every bundled profile", (t) => {
  const queue = new EventQueue();
  const ledger = new UsageLedger({ clock: new ClockSim(queue) });
  t.deepEqual(ledger.toData().durationRules, [lambdaRule, azureRule]);
});

test("storage counts requests and bytes and integrates stored bytes over time", (t) => {
  const { ledger, at } = setup();
  const blob = ledger.storageOpen("darq-1/log", "blob-hot");
  ledger.storageWrite(blob, 4096);
  ledger.storageWrite(blob, 1024);
  ledger.storageRead(blob, 512);
  ledger.storageResize(blob, 1000);
  at(2 * second);
  ledger.storageResize(blob, 3000);
  at(4 * second);
  ledger.storageClose(blob);
  const replicated = ledger.storageOpen("darq-2/log", "hot-replicated", "Standard_D8s_v3");
  ledger.storageResize(replicated, 500);
  at(6 * second);
  const [closed, open] = ledger.toData().storage;
  // 1000 B × 2 s + 3000 B × 2 s = 8000 byte-seconds; the open one: 500 B × 2 s so far.
  t.deepEqual(closed, { id: "darq-1/log", tier: "blob-hot", hostVmSize: null, openUs: 0, closeUs: 4 * second,
    reads: 1, writes: 2, readBytes: 512, writeBytes: 5120, byteSeconds: 8000 });
  t.deepEqual(open, { id: "darq-2/log", tier: "hot-replicated", hostVmSize: "Standard_D8s_v3", openUs: 4 * second,
    closeUs: 6 * second, reads: 0, writes: 0, readBytes: 0, writeBytes: 0, byteSeconds: 1000 });
});

test("network bytes are kept per (source zone, target zone), egress included", (t) => {
  const { ledger } = setup();
  const local = ledger.networkPath("zone-1", "zone-1");
  const across = ledger.networkPath("zone-1", "zone-2");
  t.is(ledger.networkPath("zone-1", "zone-2"), across, "a path is registered once");
  const out = ledger.egressPath("zone-2");
  ledger.transfer(local, 100);
  ledger.transfer(across, 300);
  ledger.transfer(across, 700);
  ledger.transfer(out, 50);
  ledger.catalogRead();
  ledger.catalogRead(4);
  ledger.catalogWrite(2);
  const data = ledger.toData();
  t.deepEqual(data.network, [
    { sourceZone: "zone-1", targetZone: "zone-1", bytes: 100, messages: 1 },
    { sourceZone: "zone-1", targetZone: "zone-2", bytes: 1000, messages: 2 },
    { sourceZone: "zone-2", targetZone: egressZone, bytes: 50, messages: 1 },
  ]);
  t.deepEqual(data.catalog, { reads: 5, writes: 2 });
});

test("many resources grow the columns without losing earlier counts", (t) => {
  const { ledger } = setup([lambdaRule]);
  const handles = Array.from({ length: 100 }, (_, index) => ledger.functionRegister(`fn-${index}`, 128));
  for (const handle of handles) ledger.invocation(handle, (handle + 1) * 1000);
  const functions = ledger.toData().functions;
  t.is(functions.length, 100);
  t.true(functions.every((fn, index) => fn.billedUsByRule[0] === (index + 1) * 1000 && fn.invocations === 1));
});

test("the saved ledger validates, survives JSON, and a malformed one is rejected with paths", (t) => {
  const { ledger, at } = setup();
  ledger.vmStart("vm", "Standard_D8s_v3", false);
  ledger.invocation(ledger.functionRegister("f", 256), 1234);
  ledger.stateTransitions(ledger.workflowRegister("saga"), 7);
  at(second);
  const data = ledger.toData();
  const copy = parseLedgerData(JSON.parse(JSON.stringify(data)), "run.json");
  t.deepEqual(copy, data);
  const broken = JSON.parse(JSON.stringify(data));
  broken.vms[0].spott = true;
  broken.functions[0].billedUsByRule = [1];
  broken.catalog.reads = -1;
  const error = t.throws(() => parseLedgerData(broken, "run.json"));
  t.regex(error.message, /usage ledger run\.json is invalid/);
  t.regex(error.message, /\/vms\/0\/spott: Unexpected property/);
  t.regex(error.message, /\/catalog\/reads: Expected number to be greater or equal to 0/);
});

test("misuse is a programmer error: stopping a stopped VM, unknown handles, restarting with another size", (t) => {
  const { ledger } = setup();
  const vm = ledger.vmStart("vm", "Standard_D8s_v3", false);
  ledger.vmStop(vm);
  t.throws(() => ledger.vmStop(vm), { instanceOf: AssertionError });
  t.throws(() => ledger.vmStart("vm", "Standard_D32s_v3", false), { instanceOf: AssertionError });
  t.throws(() => ledger.storageWrite(3, 10), { instanceOf: AssertionError });
  t.throws(() => ledger.transfer(0, 10), { instanceOf: AssertionError });
  t.throws(() => ledger.invocation(0, 10), { instanceOf: AssertionError });
});
