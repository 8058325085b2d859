// The driver activates a workload's automata ahead of its first arrival, as the simulated
// executor's warm-up does: once activate resolves, every one of them is active (its processor
// started), not only routed.

import test from "ava";
import type { ActiveAutomatonRow } from "../../engine/catalog/catalog-store.ts";
import { workloadDriversOf } from "./cluster-model.ts";
import { clusterDirForTest } from "./cluster-dir.fixtures.ts";
import { clusterUp } from "./launcher.ts";
import { LiveDriver } from "./live-driver.ts";

test("activate resolves once every automaton it was given is active, its processor started", async (t) => {
  t.timeout(90_000);
  const dir = clusterDirForTest(t, "driver");
  const handle = await clusterUp(dir, {
    darqNodes: 2, seed: "driver", ownedByThisProcess: true,
    workloads: [{ workload: { kind: "pi-chain", chainCount: 3, computeScale: 1 } }],
  });
  const driver = await LiveDriver.start(handle);
  t.teardown(() => driver.close());
  const ids = workloadDriversOf(handle.spec).flatMap((workload) => [...workload.automata()]);
  t.is(ids.length, 3 * 2, "three rings of two tasks");
  const lookup = (id: string) => new Promise<ActiveAutomatonRow | null>((resolve, reject) =>
    driver.catalog.lookup(id, (result) => (result.ok ? resolve(result.value) : reject(new Error(result.reason)))));
  t.deepEqual(await Promise.all(ids.map(lookup)), ids.map(() => null), "nothing is active before");
  await driver.activate(ids);
  const rows = await Promise.all(ids.map(lookup));
  t.deepEqual(rows.map((row) => row?.id), ids);
  t.deepEqual(rows.map((row) => row?.state), ids.map(() => "active"), "the activations finished, not only the catalog inserts");
  await driver.activate([]);
});
