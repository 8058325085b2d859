// Tests of the PriceBook: a loaded cloud profile fits ProfileView as it is (this test may import
// sim/, being a test; policies' code may not), and digesting it gives the prices the paper's
// configurations are built from (D8s v3 at 0.384 USD/h, Premium SSD P30 at 135.17 USD/month,
// blob hot writes at 0.055 USD per 10k, three memory replicas).

import test from "ava";
import { loadCloudProfile } from "../sim/profiles/load.ts";
import { costModelFromObservation } from "./cost-model.ts";
import { busyAutomaton, darqNode, observationOf, vmNode } from "./observation.fixtures.ts";
import { latencyQuantileUs, priceBookFromProfile, storageTierNamed, vmPriceNamed, type ProfileView } from "./price-book.ts";

test("a loaded Azure profile is a ProfileView and digests into the paper's prices", (t) => {
  const profile: ProfileView = loadCloudProfile("azure-2024");
  const book = priceBookFromProfile(profile);
  t.is(book.profile, "azure-2024");
  t.is(vmPriceNamed(book, "D8s_v3")?.usdPerHour, 0.384, "Azure short names resolve");
  t.is(vmPriceNamed(book, "Standard_D32s_v3")?.vcpu, 32);
  t.is(storageTierNamed(book, "premium-ssd-p30")?.usdPerMonth, 135.17);
  t.is(storageTierNamed(book, "premium-ssd-p30")?.flushesPerSMax, 5000);
  t.is(storageTierNamed(book, "blob-hot")?.usdPerWrite, 0.055 / 1e4);
  t.is(storageTierNamed(book, "hot-replicated")?.replicaVms, 2);
  t.is(storageTierNamed(book, "hot-replicated")?.flushesPerSMax, null, "no device cap: JSON has no Infinity");
  t.is(book.serverless.memoryMb, 128, "the plan's minimum memory by default");
  t.is(book.links.crossZone.oneWayLatency.p50Us, 300);
  t.deepEqual(JSON.parse(JSON.stringify(book)), book, "plain serialisable data");
});

test("the AWS profile digests too, and serverless memory rounds up to the plan's step", (t) => {
  const book = priceBookFromProfile(loadCloudProfile("aws-2024"), { serverlessMemoryMb: 1000 });
  t.is(book.serverless.plan, "lambda");
  t.is(book.serverless.memoryMb, 1000, "Lambda configures memory in 1 MB steps");
  t.is(book.links.crossZone.usdPerGb, 0.02);
  t.truthy(vmPriceNamed(book, "m5.2xlarge"));
});

test("an unknown serverless plan is a config error naming the known ones", (t) => {
  const error = t.throws(() => priceBookFromProfile(loadCloudProfile("azure-2024"), { serverlessPlan: "premium" }));
  t.regex(error.message, /SSMS_ERR_CONFIG_INVALID.*'premium'.*consumption/);
});

test("latency quantiles: lognormal p50 and p99 come back exactly; uniform interpolates", (t) => {
  t.is(latencyQuantileUs({ kind: "lognormal", medianUs: 100, p99Us: 200 }, 0.5), 100);
  t.true(Math.abs(latencyQuantileUs({ kind: "lognormal", medianUs: 100, p99Us: 200 }, 0.99) - 200) < 1e-6);
  t.is(latencyQuantileUs({ kind: "uniform", minUs: 10, maxUs: 20 }, 0.5), 15);
  t.is(latencyQuantileUs({ kind: "constant", valueUs: 7 }, 0.99), 7);
});

test("the paper's D32s v3 + hot-replicated configuration costs 730 × 1.536 + 3 × 730 × 0.384 per month", (t) => {
  const prices = priceBookFromProfile(loadCloudProfile("azure-2024"));
  const observation = {
    ...observationOf({
      nodes: [vmNode("vm", { size: "Standard_D32s_v3", cores: 32 }), darqNode("darq", { size: "Standard_D8s_v3", storageTier: "hot-replicated" })],
      automata: [busyAutomaton("pi/0", "vm", "darq", 1)],
    }),
    prices,
  };
  const model = costModelFromObservation(observation);
  const prediction = model.predict(model.assignmentNow());
  t.true(Math.abs(prediction.costUsdPerMonth - (730 * 1.536 + 3 * 730 * 0.384)) < 1e-6);
});
