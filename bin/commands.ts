// The command table. Each command lives in the folder it belongs to and exports
// `main(args: string[]): Promise<number>` returning the exit code (see bin/ssms.ts).

export type CommandModule = { main(args: string[]): Promise<number> };

type Command = { summary: string; load(): Promise<CommandModule> };

export const commands = {
  run: {
    summary: "run an experiment config; results go to results/<experiment>/<run-id>/",
    load: () => import("../experiments/commands/run.ts"),
  },
  plot: {
    summary: "re-render a run directory's figures and report from its CSV files",
    load: () => import("../experiments/commands/plot.ts"),
  },
  replay: {
    summary: "re-run a recorded run (manifest or fault schedule) and check its fingerprint",
    load: () => import("../experiments/commands/replay.ts"),
  },
  figures: {
    summary: "regenerate paper-figures/ from experiments/paper/*.json",
    load: () => import("../experiments/commands/figures.ts"),
  },
  calibrate: {
    summary: "time the pi computation on this machine (calibrate pi)",
    load: () => import("../experiments/commands/calibrate.ts"),
  },
  vopr: {
    summary: "simulation testing: random clusters, workloads and fault schedules checked against invariants",
    load: () => import("../experiments/commands/vopr.ts"),
  },
  cluster: {
    summary: "a live cluster on this machine: up --nodes N --dir DIR, status, down, calibrate",
    load: () => import("../live/cluster/cluster-command.ts"),
  },
  bench: {
    summary: "run one benchmark (its last output line is JSON)",
    load: () => import("../bench/command.ts"),
  },
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;
