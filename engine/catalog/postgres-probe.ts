// For the PostgreSQL tests of engine/catalog and engine/runtime/outbox: where the test server is,
// and a synchronous check that it answers. ava wants every test declared synchronously, so the
// probe is a short child process the test file runs with spawnSync (this helper only builds the
// command and reads the verdict; engine/ itself starts no processes). A test file then registers
// its PostgreSQL cases as run, or as skipped with the printed reason, never silently dropped.

import { fileURLToPath } from "node:url";

/** The test server: 127.0.0.1:5432, trust authentication, user postgres, database test. */
export const postgresConnection = { host: "127.0.0.1", port: 5432, user: "postgres", database: "test" };

/** Arguments for `spawnSync(process.execPath, args, options)`. */
export function postgresProbeCommand(): { args: string[]; options: { cwd: string; encoding: "utf8"; timeout: number } } {
  const config = JSON.stringify({ ...postgresConnection, connectionTimeoutMillis: 3_000 });
  const script = `import pg from "pg";
    const client = new pg.Client(${config});
    client.connect().then(() => client.query("SELECT 1")).then(() => client.end())
      .then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); });`;
  const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
  return { args: ["--input-type=module", "-e", script], options: { cwd: projectRoot, encoding: "utf8", timeout: 10_000 } };
}

/** Null when the probe succeeded, else why the server is not usable. */
export function postgresProbeVerdict(probe: { status: number | null; stderr: string; error?: Error }): string | null {
  if (probe.status === 0) return null;
  const why = probe.error?.message ?? probe.stderr.trim();
  return `PostgreSQL at ${postgresConnection.host}:${postgresConnection.port} is not reachable: ${why}`;
}
