// Early stopping along a path of penalties, strongest first. The MLP trains under the first
// penalty until the held-back loss has not improved on that penalty's own best for `patience`
// checks, then under the next weaker one from where it stands, and so on; it stops when a penalty
// brings no new overall best (the path has passed its best strength) or at the end of the path.
// The kept weights are those of the best check. One fixed penalty is a path of one: plain early
// stopping.
//
// Why a path: the right strength depends on how much signal the table holds. On the demo world's
// features (6% positives, weak signal) a penalty of 1e-4 let the network fit noise within a few
// passes (test AUC 0.58–0.61 by seed) where 0.003–0.01 gave 0.64 with every seed; on the synthetic
// 100k table 0.01 costs 0.02 AUC and 1e-3 does as well as 1e-4. The held-back loss ranks the
// strengths as the test AUC does, so the path lets it choose.

export type Decision =
  /** A new best: keep the current weights. */
  | 'best'
  /** No new best, patience left at this penalty. */
  | 'continue'
  /** This penalty is done and beat the stronger one: go on under `penalty` (now weaker). */
  | 'weaker'
  /** Done: the last penalty brought no new best, or the path is at its end. */
  | 'stop';

export class PenaltyPath {
  private level = 0;
  private best = Number.POSITIVE_INFINITY;
  /** The best loss under the current penalty: a level runs on while it keeps improving on its own. */
  private levelBest = Number.POSITIVE_INFINITY;
  private stale = 0;
  private levelImproved = false;
  /** The penalty in force when the best check was made. */
  chosen: number;

  constructor(
    readonly penalties: readonly number[],
    readonly patience: number,
    /** How much (relative) the loss must fall below a best to count as a new one. */
    readonly tolerance: number,
  ) {
    if (!penalties.length) throw new Error('a penalty path needs at least one penalty');
    this.chosen = penalties[0]!;
  }

  /** The penalty to train under now. */
  get penalty(): number {
    return this.penalties[this.level]!;
  }

  /** The decision after a check that measured `loss` on the held-back rows. */
  check(loss: number): Decision {
    const better = (than: number) => loss < than * (1 - this.tolerance);
    // Under a weaker penalty the loss often rises for a check or two before it falls (the weights
    // move away from the stronger penalty's solution), so a level is judged on its own best.
    if (better(this.levelBest)) {
      this.levelBest = loss;
      this.stale = 0;
    } else this.stale += 1;
    if (better(this.best)) {
      this.best = loss;
      this.levelImproved = true;
      this.chosen = this.penalty;
      return 'best';
    }
    if (this.stale < this.patience) return 'continue';
    if (!this.levelImproved || this.level + 1 >= this.penalties.length) return 'stop';
    this.level += 1;
    this.levelBest = Number.POSITIVE_INFINITY;
    this.stale = 0;
    this.levelImproved = false;
    return 'weaker';
  }
}
