// Benchmark dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.ts.
// Each benchmark module exports `run(args: string[]): Promise<BenchResult>`; whatever it prints
// on the way is for people, and this file prints the machine-readable last line (DESIGN §9).

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type BenchResult = {
  bench: string;
  value: number;
  unit: string;
  [context: string]: unknown;
};

export type BenchModule = { run(args: string[]): Promise<BenchResult> };

/** Files in bench/ that are plumbing, not benchmarks. */
const notBenchmarks = new Set(["run.ts", "command.ts"]);

const here = dirname(fileURLToPath(import.meta.url));

function available(): string[] {
  return readdirSync(here)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !notBenchmarks.has(file))
    .map((file) => file.slice(0, -3))
    .sort();
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = available();
  if (name === undefined || name === "--help" || !names.includes(name)) {
    const problem = name === undefined || name === "--help" ? "" : `unknown benchmark '${name}'. `;
    process.stderr.write(`${problem}usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(", ")}\n`);
    process.exitCode = name === undefined || name === "--help" ? 0 : 2;
    return;
  }
  const module = (await import(join(here, `${name}.ts`))) as BenchModule;
  const result = await module.run(args);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
