// A progress line for long commands. On a terminal it redraws one line in place; in a log or a
// pipe (not a terminal) it prints a handful of milestones, not a line per update.
export type ProgressStream = { isTTY?: boolean; write: (text: string) => unknown };

export type Progress = {
  /** `fraction` of the work is done (0–1); `text` says what, e.g. "simulating: 40%". */
  update: (fraction: number, text: string) => void;
  /** Ends the line on a terminal (call once, when the work is over). */
  done: () => void;
};

/** Fractions at which a non-terminal prints a line: a handful, whatever the number of updates. */
export const MILESTONES = [0.25, 0.5, 0.75, 1] as const;

export function createProgress(stream: ProgressStream, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet) return { update: () => {}, done: () => {} };
  if (stream.isTTY) {
    let drawn = false;
    return {
      update: (_fraction, text) => {
        drawn = true;
        stream.write(`\r\x1b[K${text}`);
      },
      done: () => {
        if (drawn) stream.write('\n');
        drawn = false;
      },
    };
  }
  let next = 0; // index of the next milestone to print
  return {
    update: (fraction, text) => {
      let crossed = false;
      while (next < MILESTONES.length && fraction >= MILESTONES[next]!) {
        next++;
        crossed = true;
      }
      if (crossed) stream.write(`${text}\n`);
    },
    done: () => {},
  };
}
