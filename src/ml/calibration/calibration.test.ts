// Platt scaling and isotonic regression against scikit-learn's own (fixtures/ml/calibration-sklearn.json,
// made by scripts/reference/ml_calibration.py), and the cross-fitted choice on scores with a known truth.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../platform/paths.js';
import { seededRandom } from '../metrics/index.js';
import { applyCalibrator, chooseCalibration, fitIsotonic, fitPlatt } from './index.js';

type Case = {
  name: string;
  y: number[];
  p: number[];
  platt: { a: number; b: number };
  grid: number[];
  isotonic: number[];
};
const fixture = JSON.parse(fs.readFileSync(fromRoot('fixtures/ml/calibration-sklearn.json'), 'utf8')) as {
  cases: Case[];
};

describe.each(fixture.cases)('calibration on $name', (c) => {
  it('fits Platt’s (a, b) as scikit-learn does', () => {
    const fit = fitPlatt(c.p, c.y);
    if (fit.method !== 'platt') throw new Error('expected a Platt map');
    expect(fit.a).toBeCloseTo(c.platt.a, 4);
    expect(fit.b).toBeCloseTo(c.platt.b, 4);
  });
  it('predicts the isotonic fit as scikit-learn does, interpolating between thresholds', () => {
    const fit = fitIsotonic(c.p, c.y);
    c.grid.forEach((g, i) => expect(applyCalibrator(fit, g)).toBeCloseTo(c.isotonic[i]!, 9));
  });
});

/** n people with known probabilities; the scores rank them rightly but are `scale` times too sure. */
function world(n: number, scale: number, seed: number) {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const truth: number[] = [];
  const y: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = -1.5 + normal();
    truth.push(1 / (1 + Math.exp(-z)));
    y.push(rand() < truth[i]! ? 1 : 0);
    p.push(1 / (1 + Math.exp(-scale * z)));
  }
  return { truth, y, p };
}

describe('choosing a calibration', () => {
  it('keeps scores that are already calibrated (the true probabilities)', () => {
    const w = world(4000, 1, 3);
    const choice = chooseCalibration(w.truth, w.y);
    expect(choice.method).toBe('none');
    expect(choice.calibrator).toBeNull();
  });

  it('recalibrates overconfident scores, and the map brings them close to the truth', () => {
    const w = world(4000, 2.5, 4);
    const choice = chooseCalibration(w.p, w.y);
    expect(choice.method).not.toBe('none');
    expect(choice.crossFittedLogLoss[choice.method]).toBeLessThan(choice.crossFittedLogLoss.none * 0.99);
    // On fresh people from the same world, calibrated scores sit nearer the true probabilities.
    const fresh = world(4000, 2.5, 5);
    const gap = (q: (i: number) => number) =>
      fresh.truth.reduce((s, t, i) => s + Math.abs(q(i) - t), 0) / fresh.truth.length;
    const before = gap((i) => fresh.p[i]!);
    const after = gap((i) => applyCalibrator(choice.calibrator, fresh.p[i]!));
    expect(after).toBeLessThan(before / 2);
  });
});
