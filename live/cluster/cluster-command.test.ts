// `ssms cluster up|status|down` end to end with real node processes: up starts two nodes that
// answer their API with the secret the launcher wrote (mode 0600), status reports them up, a
// SIGKILLed node is reported down (exit 1), down stops the rest; bad usage exits 2.

import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { apiCall } from "../api/api-client.ts";
import { clusterFiles, pidsRead, secretRead, specRead } from "./cluster-dir.ts";
import { main } from "./cluster-command.ts";
import { clusterDown } from "./launcher.ts";
import { pidAlive, pidExited } from "./node-process.ts";

function io() {
  const captured = { out: "", err: "" };
  return { captured, io: { out: (text: string) => void (captured.out += text), err: (text: string) => void (captured.err += text) } };
}

test("cluster up, status, a SIGKILLed node, down", async (t) => {
  t.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), "ssms-cli-"));
  const dir = join(root, "cluster");
  t.teardown(async () => {
    if (existsSync(clusterFiles.pids(dir))) await clusterDown(dir);
    rmSync(root, { recursive: true, force: true });
  });
  const up = io();
  t.is(await main(["up", "--nodes", "2", "--dir", dir], up.io), 0, up.captured.err);
  t.regex(up.captured.out, /n1 {2}darq/);
  t.is(statSync(clusterFiles.secret(dir)).mode & 0o777, 0o600, "the secret is readable by its owner only");
  const spec = specRead(dir);
  const secret = secretRead(dir);
  for (const node of spec.nodes) {
    t.is((await apiCall(spec.listenHost, node.apiPort, "/v1/health", { secret })).status, 200);
    t.is((await apiCall(spec.listenHost, node.apiPort, "/v1/health")).status, 401, "no secret, no answer");
  }
  const status = io();
  t.is(await main(["status", "--dir", dir], status.io), 0);
  t.regex(status.captured.out, /n2 {2}darq .* up/);

  const pids = pidsRead(dir);
  process.kill(pids["n2"]!, "SIGKILL");
  t.true(await pidExited(pids["n2"]!, 10_000));
  const degraded = io();
  t.is(await main(["status", "--dir", dir, "--json"], degraded.io), 1, "a node is down");
  t.like(JSON.parse(degraded.captured.out)[1], { node: "n2", running: false });

  const down = io();
  t.is(await main(["down", "--dir", dir], down.io), 0);
  t.false(pidAlive(pids["n1"]!));
  t.is((await main(["up", "--nodes", "1", "--dir", dir], io().io)), 2, "a directory with a cluster is refused");
});

test("bad usage exits 2 and says why", async (t) => {
  const missing = io();
  t.is(await main(["up", "--nodes", "2"], missing.io), 2);
  t.regex(missing.captured.err, /--dir DIR is required/);
  const unknown = io();
  t.is(await main(["sideways", "--dir", "/nonexistent"], unknown.io), 2);
  const flag = io();
  t.is(await main(["up", "--bogus"], flag.io), 2);
  t.is(await main(["up", "--nodes", "many", "--dir", join(tmpdir(), "ssms-never")], io().io), 2);
  const root = mkdtempSync(join(tmpdir(), "ssms-cli-workload-"));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, "bad.json"), JSON.stringify({ workload: { kind: "pi-chain", chainCount: 0, computeScale: 1 } }));
  const bad = io();
  t.is(await main(["up", "--nodes", "1", "--dir", join(root, "never"), "--workload", join(root, "bad.json")], bad.io), 2);
  t.regex(bad.captured.err, /chainCount/);
});
