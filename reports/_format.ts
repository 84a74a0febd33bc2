// Number formats shared by the reports in this folder (a helper, not a report: its name starts with _).

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
export const num = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '–'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
export const int = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US');
export const pValue = (p: number | null | undefined): string =>
  p === null || p === undefined ? '–' : p < 0.0001 ? '< 0.0001' : p.toFixed(4);
export const day = (iso: string): string => iso.slice(0, 10);
export const interval = (lo: number | null, hi: number | null, f: (x: number) => string): string =>
  `[${lo === null ? '−∞' : f(lo)}, ${hi === null ? '+∞' : f(hi)}]`;
