// Tests of priceLedger: hand-computed usages priced to the cent fraction (the arithmetic is
// written beside each check), each provider's rounding and minimums, the paper's utilisation
// rule for request-priced storage, free grants, and errors that say what to fix.

import test, { type ExecutionContext } from "ava";
import { SsmsError } from "../../engine/io/errors.ts";
import { ClockSim } from "../clock-sim.ts";
import { EventQueue } from "../event-queue.ts";
import { UsageLedger } from "../ledger.ts";
import { loadCloudProfile } from "../profiles/load.ts";
import type { CostReport } from "./cost-report.ts";
import { priceLedger } from "./price-ledger.ts";

const second = 1_000_000;
const hour = 3600 * second;
const gib = 2 ** 30;
const azure = loadCloudProfile("azure-2024");
const aws = loadCloudProfile("aws-2024");

function near(t: ExecutionContext, actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  t.true(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, expected ${expected}`);
}

function run() {
  const queue = new EventQueue();
  const ledger = new UsageLedger({ clock: new ClockSim(queue) });
  return { ledger, at: (timeUs: number) => queue.advanceTo(timeUs) };
}

function line(report: CostReport, resourceId: string, item: string) {
  const found = report.lines.find((candidate) => candidate.resourceId === resourceId && candidate.item === item);
  if (found === undefined) throw new Error(`no line ${resourceId}/${item}`);
  return found;
}

test("two D8s v3 for one hour cost 2 × 0.384 USD; the month is 730 h of them", (t) => {
  const { ledger, at } = run();
  ledger.vmStart("darq-1", "Standard_D8s_v3", false);
  ledger.vmStart("darq-2", "Standard_D8s_v3", false);
  at(hour);
  const report = priceLedger(ledger.toData(), azure);
  near(t, report.total.runUsd, 2 * 0.384, "run");
  near(t, report.total.monthUsd, 2 * 0.384 * 730, "month"); // 560.64
  near(t, report.components.compute.monthUsd, 560.64, "compute component");
  near(t, report.resources["darq-1"]!.runUsd, 0.384, "per resource");
  t.is(report.monthFactor, 730);
  t.deepEqual(report.priceTable, { profile: "azure-2024", provider: "azure", asOf: "2024-08-30", region: azure.region });
});

test("Azure bills whole minutes and drops extra seconds; AWS bills whole seconds with a 60 s minimum", (t) => {
  const { ledger, at } = run();
  const short = ledger.vmStart("short", "Standard_D8s_v3", false);
  const long = ledger.vmStart("long", "Standard_D8s_v3", false);
  at(59 * second);
  ledger.vmStop(short);
  at(405 * second); // 6 min 45 s
  ledger.vmStop(long);
  at(hour);
  const azureReport = priceLedger(ledger.toData(), azure);
  t.is(line(azureReport, "short", "VM-hours").runUsd, 0, "59 s rounds down to 0 minutes");
  near(t, line(azureReport, "long", "VM-hours").runUsd, (0.384 * 360) / 3600, "6 min 45 s bills 6 min");

  const awsRun = run();
  const tiny = awsRun.ledger.vmStart("tiny", "m5.2xlarge", false);
  const odd = awsRun.ledger.vmStart("odd", "m5.2xlarge", false);
  awsRun.at(30 * second);
  awsRun.ledger.vmStop(tiny);
  awsRun.at(90 * second + 500_000);
  awsRun.ledger.vmStop(odd);
  awsRun.at(hour);
  const awsReport = priceLedger(awsRun.ledger.toData(), aws);
  near(t, line(awsReport, "tiny", "VM-hours").runUsd, (0.384 * 60) / 3600, "30 s bills the 60 s minimum");
  near(t, line(awsReport, "odd", "VM-hours").runUsd, (0.384 * 91) / 3600, "90.5 s bills 91 s");
});

test("spot VMs cost the profile's discount or the caller's override off pay-as-you-go", (t) => {
  const { ledger, at } = run();
  ledger.vmStart("spot", "D32s_v3", true); // the paper's short name finds Standard_D32s_v3
  at(hour);
  const data = ledger.toData();
  near(t, priceLedger(data, azure).total.runUsd, 1.536 * (1 - 0.53), "profile's 53% discount");
  const swept = priceLedger(data, azure, { spotDiscountFraction: 0.8 });
  near(t, swept.total.runUsd, 1.536 * 0.2, "80% off");
  t.true(swept.warnings.some((warning) => warning.includes("80% off")));
});

test("Azure Functions: memory in 128 MB buckets, 100 ms minimum per execution, 1 ms steps", (t) => {
  const { ledger, at } = run();
  const fn = ledger.functionRegister("pi", 500); // billed as 512 MB = 0.5 GB
  for (let index = 0; index < 1000; index++) ledger.invocation(fn, 30_000); // each billed 100 ms
  ledger.invocation(fn, 250_400); // billed 251 ms
  at(hour);
  const report = priceLedger(ledger.toData(), azure);
  const gbSeconds = 0.5 * (1000 * 0.1 + 0.251); // 50.1255 GB-s
  near(t, line(report, "pi", "GB-seconds").quantity, gbSeconds, "GB-s");
  near(t, line(report, "pi", "GB-seconds").runUsd, gbSeconds * 0.000016, "GB-s price");
  near(t, line(report, "pi", "invocations").runUsd, (1001 / 1e6) * 0.2, "executions");
  near(t, report.components.serverless.runUsd, gbSeconds * 0.000016 + (1001 / 1e6) * 0.2, "component");
});

test("Lambda bills the same invocations in 1 ms steps with no minimum, at configured memory", (t) => {
  const { ledger, at } = run();
  const fn = ledger.functionRegister("pi", 500); // Lambda bills 500 MB = 500/1024 GB
  for (let index = 0; index < 1000; index++) ledger.invocation(fn, 30_000); // 30 ms each
  ledger.invocation(fn, 250_400); // 251 ms
  at(hour);
  const report = priceLedger(ledger.toData(), aws);
  const gbSeconds = (500 / 1024) * (1000 * 0.03 + 0.251);
  near(t, line(report, "pi", "GB-seconds").runUsd, gbSeconds * 0.0000166667, "GB-s price");
});

test("free grants are monthly: the month credits 400,000 GB-s and 1M executions, the run its 1/730 share", (t) => {
  const { ledger, at } = run();
  const fn = ledger.functionRegister("busy", 1024); // 1 GB
  for (let index = 0; index < 2000; index++) ledger.invocation(fn, 1_000_000); // 2000 GB-s in the hour
  at(hour);
  const data = ledger.toData();
  const gross = priceLedger(data, azure);
  const net = priceLedger(data, azure, { freeGrants: true });
  // Month: 2000 GB-s × 730 = 1,460,000 GB-s, minus 400,000 free; 1.46M executions minus 1M free.
  near(t, net.components.serverless.monthUsd, (1_460_000 - 400_000) * 0.000016 + ((1_460_000 - 1_000_000) / 1e6) * 0.2, "month");
  // Run: 2000 GB-s minus 400,000/730 GB-s; 2000 executions minus 1M/730 (1369.86…) executions.
  near(t, net.components.serverless.runUsd, (2000 - 400_000 / 730) * 0.000016 + ((2000 - 1_000_000 / 730) / 1e6) * 0.2, "run");
  t.true(gross.components.serverless.runUsd > net.components.serverless.runUsd);
  t.is(net.resources["free-grant"]!.monthUsd, -(400_000 * 0.000016 + 1 * 0.2));
});

test("blob operations at 10% utilisation cost a tenth of peak per month; VMs and capacity do not scale", (t) => {
  const { ledger, at } = run();
  ledger.vmStart("darq", "Standard_D8s_v3", false);
  const blob = ledger.storageOpen("darq/log", "blob-hot");
  ledger.storageResize(blob, 100 * gib);
  for (let index = 0; index < 100_000; index++) ledger.storageWrite(blob, 4096);
  for (let index = 0; index < 20_000; index++) ledger.storageRead(blob, 4096);
  at(hour);
  const data = ledger.toData();
  const peak = priceLedger(data, azure);
  const tenth = priceLedger(data, azure, { utilisation: 0.1 });
  // Run: 10 × 10k writes × 0.055 + 2 × 10k reads × 0.0045 = 0.55 + 0.009 USD.
  near(t, peak.components.storageOperations.runUsd, 0.559, "run operations");
  near(t, peak.components.storageOperations.monthUsd, 0.559 * 730, "peak month"); // 408.07
  near(t, tenth.components.storageOperations.monthUsd, 0.559 * 730 * 0.1, "10% month"); // 40.807
  near(t, tenth.components.compute.monthUsd, 280.32, "the VM is billed all month either way");
  // 100 GiB held for the hour = 100 × 1/730 GB-months in the run, 100 GB-months a month.
  near(t, tenth.components.storageCapacity.monthUsd, 100 * 0.0208, "capacity");
  near(t, tenth.components.storageCapacity.runUsd, (100 / 730) * 0.0208, "capacity in the run");
});

test("hot-replicated storage is priced as 2 more host VMs, or as 3 × stored GiB-hours of memory", (t) => {
  const { ledger, at } = run();
  const log = ledger.storageOpen("darq/log", "hot-replicated", "Standard_D8s_v3");
  ledger.storageResize(log, 10 * gib);
  at(hour);
  const data = ledger.toData();
  near(t, priceLedger(data, azure).components.storageCapacity.runUsd, 2 * 0.384, "replica VMs");
  near(t, priceLedger(data, azure, { hotReplicatedPricing: "memoryShare" }).components.storageCapacity.runUsd,
    3 * 10 * 0.012, "memory share: 3 replicas × 10 GiB × 1 h × 0.012 USD/GiB-h");
});

test("a premium SSD costs its tier's monthly price pro rata, with no operation charge", (t) => {
  const { ledger, at } = run();
  const disk = ledger.storageOpen("darq/disk", "premium-ssd-p10");
  for (let index = 0; index < 1000; index++) ledger.storageWrite(disk, 4096);
  at(hour);
  const report = priceLedger(ledger.toData(), azure);
  near(t, report.components.storageCapacity.runUsd, 19.71 / 730, "one hour of P10");
  near(t, report.components.storageCapacity.monthUsd, 19.71, "P10 per month");
  t.is(report.components.storageOperations.runUsd, 0);
});

test("AWS network, catalog and Step Functions: cross-zone 0.02/GB, egress 0.09/GB, DynamoDB, transitions", (t) => {
  const { ledger, at } = run();
  ledger.transfer(ledger.networkPath("a", "b"), 10 * gib);
  ledger.transfer(ledger.networkPath("a", "a"), 50 * gib);
  ledger.transfer(ledger.egressPath("a"), 5 * gib);
  ledger.catalogRead(2_000_000);
  ledger.catalogWrite(1_000_000);
  ledger.stateTransitions(ledger.workflowRegister("saga"), 10_000);
  at(hour);
  const data = ledger.toData();
  const report = priceLedger(data, aws);
  near(t, report.components.network.runUsd, 10 * 0.02 + 5 * 0.09, "network"); // same zone free
  near(t, report.components.storageOperations.runUsd, 2 * 0.125 + 1 * 0.625, "catalog");
  near(t, report.components.serverless.runUsd, 10_000 * 0.000025, "state transitions");
  near(t, priceLedger({ ...data, workflows: [] }, azure).components.network.runUsd, 5 * 0.087, "Azure: only egress is charged");
  t.throws(() => priceLedger(data, azure), { instanceOf: SsmsError, message: /prices no workflows/ });
});

test("components and resources add up to the total", (t) => {
  const { ledger, at } = run();
  ledger.vmStart("vm", "Standard_F8s_v2", false);
  ledger.invocation(ledger.functionRegister("f", 128), 5000);
  ledger.storageWrite(ledger.storageOpen("s", "blob-premium"), 100);
  ledger.transfer(ledger.egressPath("z"), gib);
  at(hour / 2);
  const report = priceLedger(ledger.toData(), azure, { utilisation: 0.5 });
  const components = Object.values(report.components);
  const resources = Object.values(report.resources);
  near(t, components.reduce((sum, money) => sum + money.monthUsd, 0), report.total.monthUsd, "components");
  near(t, resources.reduce((sum, money) => sum + money.runUsd, 0), report.total.runUsd, "resources");
  t.is(report.monthFactor, 1460);
});

test("pricing errors name the problem and the fix", (t) => {
  const { ledger, at } = run();
  ledger.vmStart("vm", "Standard_D8s_v3", false);
  t.throws(() => priceLedger(ledger.toData(), azure), { instanceOf: SsmsError, message: /covers 0 s/ });
  at(hour);
  const data = ledger.toData();
  t.throws(() => priceLedger(data, aws), { message: /VM 'vm' uses VM size 'Standard_D8s_v3', which price table aws-2024 does not have .* options\.vmSizeMap/ });
  t.throws(() => priceLedger(data, azure, { utilisation: 0 }), { message: /utilisation must be in \(0, 1\]/ });
  t.throws(() => priceLedger(data, azure, { serverlessPlan: "premium" }), { message: /serverlessPlan 'premium' is not a plan of azure-2024/ });
  const replicated = run();
  replicated.ledger.storageOpen("log", "hot-replicated");
  replicated.at(hour);
  t.throws(() => priceLedger(replicated.ledger.toData(), azure), { message: /no hostVmSize.*memoryShare/ });
});
