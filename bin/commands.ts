// The command table. Each command lives in the folder it belongs to and exports
// `main(args: string[]): Promise<number>` returning the exit code (see bin/ssms.ts).

export type CommandModule = { main(args: string[]): Promise<number> };

type Command = { summary: string; load(): Promise<CommandModule> };

export const commands = {
  bench: {
    summary: "run one benchmark (its last output line is JSON)",
    load: () => import("../bench/command.ts"),
  },
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;
