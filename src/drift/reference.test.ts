// Drift statistics against SciPy (scripts/reference/stats_reference.py) and Evidently's PSI convention.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../platform/paths.js';
import { compareColumn } from './compare.js';
import { kolmogorovSf } from './ks.js';

type DriftCase = {
  name: string;
  type: 'numeric' | 'categorical';
  reference: (number | string)[];
  current: (number | string)[];
  ks?: { statistic: number; pValue: number };
  wasserstein?: { distance: number; normalized: number };
  chiSquare?: { statistic: number; pValue: number; dof: number };
  zTest?: { statistic: number; pValue: number };
  psi: { value: number; bins: number };
  psiQuantile?: { value: number; bins: number };
  jensenShannon: { distance: number };
};
const reference = JSON.parse(readFileSync(fromRoot('fixtures/stats/reference.json'), 'utf8')) as {
  drift: DriftCase[];
  kolmogorov: { n: number; x: number; sf: number }[];
};

const close = (actual: number | undefined, expected: number, tolerance = 1e-9) =>
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );

describe('drift statistics against SciPy', () => {
  for (const c of reference.drift) {
    it(c.name, () => {
      const r = compareColumn('x', c.reference, c.current);
      expect(r.type).toBe(c.type);
      if (c.ks) {
        close(r.ks?.statistic, c.ks.statistic, 1e-12);
        close(r.ks?.pValue, c.ks.pValue);
      }
      if (c.wasserstein) {
        close(r.wasserstein?.distance, c.wasserstein.distance);
        close(r.wasserstein?.normalized, c.wasserstein.normalized);
      }
      if (c.chiSquare) {
        close(r.chiSquare?.statistic, c.chiSquare.statistic);
        close(r.chiSquare?.pValue, c.chiSquare.pValue);
        expect(r.chiSquare?.dof).toBe(c.chiSquare.dof);
      }
      if (c.zTest) {
        close(r.zTest?.statistic, c.zTest.statistic);
        close(r.zTest?.pValue, c.zTest.pValue);
      }
      close(r.psi?.value, c.psi.value);
      expect(r.psi?.bins).toBe(c.psi.bins);
      close(r.jensenShannon?.distance, c.jensenShannon.distance);
      if (c.psiQuantile)
        close(
          compareColumn('x', c.reference, c.current, { binning: 'quantile' }).psi?.value,
          c.psiQuantile.value,
        );
      for (const v of [r.score, r.psi?.value, r.jensenShannon?.distance])
        expect(Number.isFinite(v)).toBe(true);
    });
  }

  it('the one-sample Kolmogorov tail across SciPy’s method regions', () => {
    for (const k of reference.kolmogorov) close(kolmogorovSf(k.n, k.x), k.sf, 1e-9);
  });

  it('chooses methods as Evidently does and reports the rule beside the verdict', () => {
    const small = Array.from({ length: 200 }, (_, i) => i % 37);
    expect(compareColumn('n', small, small).method).toBe('ks');
    const big = Array.from({ length: 5000 }, (_, i) => i % 37);
    expect(compareColumn('n', big, big).method).toBe('wasserstein');
    expect(compareColumn('c', ['a', 'b', 'c'], ['a', 'b', 'b']).method).toBe('chi-square');
    expect(compareColumn('c', ['a', 'b'], ['a', 'b']).method).toBe('z');
    expect(compareColumn('c', Array(2000).fill('a'), ['a', 'b']).method).toBe('jensen-shannon');
    const r = compareColumn(
      'n',
      big,
      big.map((x) => x + 20),
    );
    expect(r).toMatchObject({
      drift: true,
      threshold: 0.1,
      rule: 'drift when the normalised Wasserstein distance ≥ 0.1',
    });
  });

  it('a category seen only in the current sample gives finite numbers, never Infinity or NaN', () => {
    const r = compareColumn('channel', ['email', 'search', 'email'], ['email', 'search', 'tiktok', 'tiktok']);
    for (const v of [r.chiSquare!.statistic, r.chiSquare!.pValue, r.psi!.value, r.jensenShannon!.distance])
      expect(Number.isFinite(v)).toBe(true);
    expect(r.distribution.find((b) => b.label === 'tiktok')).toEqual({
      label: 'tiktok',
      reference: 0,
      current: 0.5,
    });
  });
});
