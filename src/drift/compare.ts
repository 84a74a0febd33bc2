// Column-by-column comparison of a reference and a current sample. Every applicable statistic is
// computed; one method decides, chosen by column type and sample size as Evidently does unless the
// caller picks one, and its threshold is reported beside the verdict.
import { ksTwoSampleSorted, type KsResult } from './ks.js';
import { histogram, quantileEdges, sturgesEdges, type Binning } from './binning.js';
import {
  SHARE_FLOOR,
  chiSquareHomogeneity,
  jensenShannonDistance,
  populationStabilityIndex,
  populationStd,
  twoProportionZ,
  wasserstein1,
  type ChiSquareResult,
} from './statistics.js';

export type ColumnType = 'numeric' | 'categorical';
export const DRIFT_METHODS = ['ks', 'chi-square', 'z', 'wasserstein', 'jensen-shannon', 'psi'] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/** Evidently's defaults: p-value methods flag drift below the threshold, distances at or above it. */
export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = {
  ks: 0.05,
  'chi-square': 0.05,
  z: 0.05,
  wasserstein: 0.1,
  'jensen-shannon': 0.1,
  psi: 0.1,
};
const P_VALUE_METHODS = new Set<DriftMethod>(['ks', 'chi-square', 'z']);
/** Up to this many reference rows a test with a p-value decides; beyond it, every difference is "significant", so a distance decides. */
export const SMALL_SAMPLE_ROWS = 1000;
/** Numeric columns with at most this many distinct values are compared as categories. */
export const FEW_VALUES = 5;

/** Input the comparison cannot use (an empty column, a method that does not fit the column). */
export class DriftInputError extends Error {}

export type Value = string | number | boolean | null | undefined;

export type CompareOptions = {
  method?: DriftMethod | undefined;
  threshold?: number | undefined;
  binning?: Binning | undefined;
  /** Bins for reference-quantile binning. */
  quantileBins?: number | undefined;
};

export type DistributionBin = { label: string; reference: number; current: number };

export type ColumnDrift = {
  column: string;
  type: ColumnType;
  method: DriftMethod;
  threshold: number;
  /** The number compared with the threshold: a p-value or a distance. */
  score: number;
  drift: boolean;
  rule: string;
  referenceCount: number;
  currentCount: number;
  missing: { reference: number; current: number };
  distinctValues: number;
  ks: { statistic: number; pValue: number; method: KsResult['method'] } | null;
  chiSquare: ChiSquareResult | null;
  zTest: { statistic: number; pValue: number } | null;
  wasserstein: { distance: number; normalized: number } | null;
  jensenShannon: { distance: number; base: 'e' } | null;
  psi: { value: number; bins: number; binning: Binning | 'categories'; floor: number } | null;
  distribution: DistributionBin[];
};

const isMissing = (v: Value) => v === null || v === undefined || v === '';

function asNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function columnType(reference: readonly Value[], current: readonly Value[]): ColumnType {
  for (const v of [...reference, ...current]) if (!isMissing(v) && asNumber(v) === null) return 'categorical';
  return 'numeric';
}

/** Evidently's default choice by column type, distinct values and reference size. */
export function defaultMethod(type: ColumnType, distinct: number, referenceRows: number): DriftMethod {
  const asCategories = type === 'categorical' || distinct <= FEW_VALUES;
  if (referenceRows <= SMALL_SAMPLE_ROWS) {
    if (!asCategories) return 'ks';
    return distinct > 2 ? 'chi-square' : 'z';
  }
  return asCategories ? 'jensen-shannon' : 'wasserstein';
}

function categoryCounts(reference: string[], current: string[]) {
  const categories = [...new Set([...reference, ...current])].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const count = (xs: string[]) => {
    const out = new Array<number>(categories.length).fill(0);
    for (const x of xs) out[index.get(x)!]!++;
    return out;
  };
  return { categories, ref: count(reference), cur: count(current) };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

export function compareColumn(
  column: string,
  reference: readonly Value[],
  current: readonly Value[],
  options: CompareOptions = {},
): ColumnDrift {
  const type = columnType(reference, current);
  const refPresent = reference.filter((v) => !isMissing(v));
  const curPresent = current.filter((v) => !isMissing(v));
  if (refPresent.length === 0 || curPresent.length === 0)
    throw new DriftInputError(
      `column "${column}" has no values in the ${refPresent.length === 0 ? 'reference' : 'current'} sample`,
    );
  const asText = (xs: Value[]) => xs.map((v) => (type === 'numeric' ? String(asNumber(v)) : String(v)));
  const [refText, curText] = [asText(refPresent), asText(curPresent)];
  const distinct = new Set([...refText, ...curText]).size;
  const method = options.method ?? defaultMethod(type, distinct, refPresent.length);
  const threshold = options.threshold ?? DEFAULT_THRESHOLDS[method];

  let ks: ColumnDrift['ks'] = null;
  let wasserstein: ColumnDrift['wasserstein'] = null;
  let chiSquare: ColumnDrift['chiSquare'] = null;
  let zTest: ColumnDrift['zTest'] = null;
  let binsRef: number[];
  let binsCur: number[];
  let labels: string[];
  let binning: Binning | 'categories';

  const categorical = type === 'categorical' || distinct <= FEW_VALUES;
  const counts = categorical ? categoryCounts(refText, curText) : null;
  if (type === 'numeric') {
    const a = Float64Array.from(refPresent.map((v) => asNumber(v)!)).sort();
    const b = Float64Array.from(curPresent.map((v) => asNumber(v)!)).sort();
    const k = ksTwoSampleSorted(a, b);
    ks = { statistic: k.statistic, pValue: k.pValue, method: k.method };
    const distance = wasserstein1(a, b);
    wasserstein = { distance, normalized: distance / Math.max(populationStd(a), 0.001) };
    binning = options.binning ?? 'sturges';
    const edges =
      binning === 'quantile'
        ? quantileEdges(a, options.quantileBins ?? 10)
        : sturgesEdges(Float64Array.from([...a, ...b]));
    binsRef = histogram(a, edges);
    binsCur = histogram(b, edges);
    labels = edges
      .slice(0, -1)
      .map((lo, i) => `[${fmt(lo)}, ${fmt(edges[i + 1]!)}${i === edges.length - 2 ? ']' : ')'}`);
  } else {
    binning = 'categories';
    [binsRef, binsCur, labels] = [counts!.ref, counts!.cur, counts!.categories];
  }
  if (counts) {
    const c = counts;
    chiSquare = chiSquareHomogeneity(c.ref, c.cur);
    // One value on both sides is the degenerate two-proportion case: identical shares, p = 1.
    if (c.categories.length <= 2)
      zTest = twoProportionZ(c.ref[0]!, refPresent.length, c.cur[0]!, curPresent.length);
  }
  const psiValue = populationStabilityIndex(binsRef, binsCur);
  const jsDistance = jensenShannonDistance(binsRef, binsCur);

  const scores: Partial<Record<DriftMethod, number | undefined>> = {
    ks: ks?.pValue,
    'chi-square': chiSquare?.pValue,
    z: zTest?.pValue,
    wasserstein: wasserstein?.normalized,
    'jensen-shannon': jsDistance,
    psi: psiValue,
  };
  const score = scores[method];
  if (score === undefined)
    throw new DriftInputError(
      `method "${method}" does not apply to ${categorical ? 'a categorical' : 'a numeric'} column ("${column}")`,
    );
  const isP = P_VALUE_METHODS.has(method);
  const drift = isP ? score < threshold : score >= threshold;
  const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0) || 1;
  const [tr, tc] = [total(binsRef), total(binsCur)];
  return {
    column,
    type,
    method,
    threshold,
    score,
    drift,
    rule: isP
      ? `drift when the ${method} p-value < ${threshold}`
      : `drift when the ${method === 'wasserstein' ? 'normalised Wasserstein distance' : method} ≥ ${threshold}`,
    referenceCount: refPresent.length,
    currentCount: curPresent.length,
    missing: { reference: reference.length - refPresent.length, current: current.length - curPresent.length },
    distinctValues: distinct,
    ks,
    chiSquare,
    zTest,
    wasserstein,
    jensenShannon: { distance: jsDistance, base: 'e' },
    psi: { value: psiValue, bins: binsRef.length, binning, floor: SHARE_FLOOR },
    distribution: labels.map((label, i) => ({
      label,
      reference: binsRef[i]! / tr,
      current: binsCur[i]! / tc,
    })),
  };
}

export type Samples = Record<string, readonly Value[]>;

export type DriftReport = {
  columns: ColumnDrift[];
  summary: { columns: number; drifted: number; share: number };
};

/** Compares every column present in both samples (or the ones asked for). */
export function compareSamples(
  reference: Samples,
  current: Samples,
  options: CompareOptions & {
    columns?: string[] | undefined;
    perColumn?: Record<string, CompareOptions> | undefined;
  } = {},
): DriftReport {
  const names = options.columns ?? Object.keys(reference).filter((c) => c in current);
  const columns = names.map((name) => {
    const ref = reference[name];
    const cur = current[name];
    if (!ref || !cur)
      throw new DriftInputError(
        `column "${name}" is missing from the ${ref ? 'current' : 'reference'} sample`,
      );
    return compareColumn(name, ref, cur, { ...options, ...options.perColumn?.[name] });
  });
  const drifted = columns.filter((c) => c.drift).length;
  return {
    columns,
    summary: { columns: columns.length, drifted, share: columns.length ? drifted / columns.length : 0 },
  };
}

/** Row objects (as JSON or CSV arrive) into columns. */
export function toColumns(rows: readonly Record<string, Value>[]): Samples {
  const out: Record<string, Value[]> = {};
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  for (const n of names) out[n] = rows.map((r) => r[n]);
  return out;
}
