// Shared plumbing of the experiment commands (run, plot, replay, figures, calibrate): argument
// parsing with node:util's parseArgs (strict: an unknown flag is an error, not ignored), a
// generated --help, and an output sink, so a test can run a command in-process and read what it
// printed. Exit codes follow bin/ssms.ts: 0 ok, 1 the command ran and found a failure, 2 bad input.

import { parseArgs } from "node:util";

export const exitOk = 0;
export const exitFailed = 1;
export const exitBadInput = 2;

/** Where a command writes: stdout for results, stderr for progress and problems. */
export type CommandIo = {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars are drawn only then, or on request). */
  readonly isTty: boolean;
};

export const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
};

export type OptionSpec = {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Shown in --help, e.g. "N" for `--jobs N`. */
  readonly value?: string;
  readonly description: string;
};

export type CommandSpec = {
  /** e.g. "run <experiment.json>" */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Number of positional arguments required and allowed. */
  readonly positionalsMin: number;
  readonly positionalsMax: number;
};

export type ParsedArgs = {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
};

/** The --help text of a command. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, help: { type: "boolean", description: "show this help" } as OptionSpec }).map(([name, option]) => {
    const flag = `${option.short === undefined ? "    " : `-${option.short}, `}--${name}${option.value === undefined ? "" : ` ${option.value}`}`;
    return `  ${flag.padEnd(26)} ${option.description}`;
  });
  return `usage: ssms ${spec.synopsis}\n\n${spec.summary}\n\noptions:\n${rows.join("\n")}\n`;
}

/**
 * Parses `args`. Returns the parsed values, or an exit code when the command should stop here:
 * 0 after printing --help, 2 after printing what is wrong with the arguments.
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[], io: CommandIo): ParsedArgs | number {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" } };
  for (const [name, option] of Object.entries(spec.options)) options[name] = option.short === undefined ? { type: option.type } : { type: option.type, short: option.short };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (cause) {
    io.err(`ssms ${spec.synopsis.split(" ")[0]}: ${cause instanceof Error ? cause.message : String(cause)}\n\n${helpText(spec)}`);
    return exitBadInput;
  }
  if (parsed.values["help"] === true) {
    io.out(helpText(spec));
    return exitOk;
  }
  const count = parsed.positionals.length;
  if (count < spec.positionalsMin || count > spec.positionalsMax) {
    const wanted = spec.positionalsMin === spec.positionalsMax ? `${spec.positionalsMin}` : `${spec.positionalsMin} to ${spec.positionalsMax}`;
    io.err(`ssms ${spec.synopsis.split(" ")[0]}: expected ${wanted} argument(s), got ${count}\n\n${helpText(spec)}`);
    return exitBadInput;
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** Parses a positive integer flag value; undefined when absent, NaN when malformed. */
export function positiveInteger(text: string | boolean | undefined): number | undefined {
  if (text === undefined || typeof text === "boolean") return undefined;
  return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : NaN;
}

/** The message of an unknown thrown value. */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
