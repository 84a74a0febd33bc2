// The engine against known answers computed independently with SciPy (scripts/reference/stats_reference.py),
// including a published textbook Welch example.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../platform/paths.js';
import { analyzeRequest, parseAnalysisRequest } from './contract.js';
import { sampleRatioMismatch } from './srm.js';
import { benjaminiHochberg, holm } from './correction.js';

type Expected = Record<string, number | null | Record<string, number>>;
type Reference = {
  cases: {
    name: string;
    request: unknown;
    expected: Expected;
    published?: { t: number; dof: number; pTwoSided: number } | null;
  }[];
  srm: { counts: number[]; weights: number[]; chiSquare: number; pValue: number }[];
  correction: { pValues: number[]; bh: number[]; holm: number[] };
};

const reference = JSON.parse(readFileSync(fromRoot('fixtures/stats/reference.json'), 'utf8')) as Reference;

/** Agreement to ~1e-9 relative: the last digit that matters, and then some. */
function close(actual: number | null | undefined, expected: number | null, tolerance = 1e-9): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

describe('stats engine against SciPy and closed forms', () => {
  for (const c of reference.cases) {
    it(c.name, () => {
      const result = analyzeRequest(parseAnalysisRequest(c.request));
      const v = result.variations[1]!;
      for (const [key, want] of Object.entries(c.expected)) {
        if (key === 'controlMean') close(result.variations[0]!.mean, want as number);
        else if (key === 'risk') {
          const r = want as { control: number; variation: number };
          close(v.risk?.control, r.control, 1e-8);
          close(v.risk?.variation, r.variation, 1e-8);
        } else close(v[key as keyof typeof v] as number | null, want as number | null);
      }
      if (c.published) {
        expect((v.estimate! / v.se!).toFixed(2)).toBe(c.published.t.toFixed(2));
        expect(v.dof!.toFixed(2)).toBe(c.published.dof.toFixed(2));
        expect(v.pValue!.toFixed(3)).toBe(c.published.pTwoSided.toFixed(3));
      }
    });
  }

  it('SRM chi-square matches SciPy, dropping zero-weight arms', () => {
    for (const s of reference.srm) {
      const r = sampleRatioMismatch(s.counts, s.weights);
      close(r.chiSquare, s.chiSquare);
      close(r.pValue, s.pValue, 1e-12);
    }
  });

  it('Holm and Benjamini–Hochberg on Benjamini & Hochberg (1995)’s fifteen p-values', () => {
    const { pValues } = reference.correction;
    benjaminiHochberg(pValues).forEach((p, i) => close(p, reference.correction.bh[i]!, 1e-12));
    holm(pValues).forEach((p, i) => close(p, reference.correction.holm[i]!, 1e-12));
    // The paper's conclusion at q = 0.05: BH rejects the four smallest; Holm only three.
    expect(benjaminiHochberg(pValues).filter((p) => p <= 0.05)).toHaveLength(4);
    expect(holm(pValues).filter((p) => p <= 0.05)).toHaveLength(3);
  });
});
