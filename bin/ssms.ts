#!/usr/bin/env -S node --import=tsx
// The ssms command line. Thin on purpose: it parses the command name and hands the remaining
// arguments to the command's module, which parses its own flags and returns an exit code.
// Exit codes: 0 success; 1 the command ran and found a failure (a failed run, a violated
// invariant, a determinism mismatch); 2 bad usage or invalid input (arguments, config files).

import { commands, type CommandName } from "./commands.ts";

const usage = `usage: ssms <command> [options]

commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`)
  .join("\n")}

Run 'ssms <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!(name in commands)) {
    process.stderr.write(`ssms: unknown command '${name}'\n\n${usage}\n`);
    return 2;
  }
  const command = commands[name as CommandName];
  const module = await command.load();
  return module.main(rest);
}

process.exitCode = await main(process.argv.slice(2));
