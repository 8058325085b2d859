// The sweep progress bar (cli-progress): points done of total, percentage, ETA from the recent
// pace, and how many failed. Drawn on stderr, so stdout stays clean for results and pipes; shown
// when stdout is a terminal or when asked (--progress), never with --quiet. A run of one point
// has nothing to show progress of and gets no bar.

import { Presets, SingleBar } from "cli-progress";

export type Progress = {
  pointDone(failed: boolean): void;
  stop(): void;
};

const silent: Progress = { pointDone: () => undefined, stop: () => undefined };

export function startProgress(total: number, enabled: boolean): Progress {
  if (!enabled || total < 2) return silent;
  const bar = new SingleBar(
    {
      format: "points {bar} {value}/{total} | {percentage}% | ETA {eta_formatted} | failed {failed}",
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 20,
      // Without a terminal (--progress into a log file) print a line every few seconds.
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    Presets.shades_classic,
  );
  let failed = 0;
  bar.start(total, 0, { failed });
  return {
    pointDone(pointFailed) {
      if (pointFailed) failed++;
      bar.increment(1, { failed });
    },
    stop() {
      bar.stop();
    },
  };
}
