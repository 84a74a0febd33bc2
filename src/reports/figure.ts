// A chart as a report shows it: an accessible <figure> with a caption, the SVG Plot drew in Node
// (linkedom as the DOM), its data as a table behind a disclosure and as a CSV download.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { html, trusted, type SafeHtml } from './html.js';
import { marginFor } from './measure.js';

export type Column<T> = { label: string; value: (d: T) => unknown; format?: (v: unknown) => string };

export type FigureSpec<T> = {
  /** Unique within the report; names the CSV download. */
  id: string;
  caption: string;
  /** What the chart shows and what to read from it, for screen readers. */
  description: string;
  data: readonly T[];
  columns: Column<T>[];
  /** Draws the chart; `marginLeft` sizes a margin from the labels it will show. */
  plot: (tools: PlotTools) => ChartElement;
};

/** The parts of a DOM element this module touches (the server code is compiled without the DOM lib). */
export type ChartElement = {
  tagName: string;
  outerHTML: string;
  innerHTML: string;
  querySelector: (selector: string) => ChartElement | null;
  setAttribute: (name: string, value: string) => void;
};

/** `plot` is Plot.plot with the Node DOM filled in. */
export type PlotTools = {
  width: number;
  marginLeft: (labels: readonly string[]) => number;
  plot: (options: Plot.PlotOptions) => ChartElement;
};

/** Width Plot lays out at; the SVG scales down to narrow screens through its viewBox. */
export const FIGURE_WIDTH = 680;

/** Colours with enough contrast on both the light and the dark page. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#b07aa1',
  '#edc948',
  '#9c755f',
];

// linkedom's types name DOM interfaces this project does not compile with; only the document is used.
const { document } = parseHTML('<!doctype html><html><body></body></html>') as unknown as {
  document: object;
};

export const formatCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' ? v : JSON.stringify(v);
};

/** RFC 4180 CSV; a cell that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function toCsv<T>(rows: readonly T[], columns: Column<T>[]): string {
  const cell = (s: string) => {
    const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell((c.format ?? formatCell)(c.value(r)))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function dataTable<T>(rows: readonly T[], columns: Column<T>[], caption?: string): SafeHtml {
  return html`<table>${caption ? html`<caption>${caption}</caption>` : ''}<thead><tr>${columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${columns.map((c) => html`<td>${(c.format ?? formatCell)(c.value(r))}</td>`)}</tr>`)}</tbody></table>`;
}

export function renderFigure<T>(spec: FigureSpec<T>): SafeHtml {
  const plot = (options: Plot.PlotOptions) =>
    Plot.plot({ width: FIGURE_WIDTH, ...options, document: document as never }) as unknown as ChartElement;
  const chart = spec.plot({
    width: FIGURE_WIDTH,
    marginLeft: (labels) => Math.max(40, marginFor(labels)),
    plot,
  });
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-labelledby', `${spec.id}-caption`);
    svg.setAttribute('aria-describedby', `${spec.id}-desc`);
  }
  // With a legend Plot wraps legend and SVG in its own <figure>; one figure per chart is ours.
  const markup =
    chart.tagName.toLowerCase() === 'figure'
      ? `<div class="plot-legend-and-chart">${chart.innerHTML}</div>`
      : chart.outerHTML;
  const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(spec.data, spec.columns))}`;
  return html`<figure id="${spec.id}" aria-labelledby="${spec.id}-caption">
<figcaption id="${spec.id}-caption">${spec.caption}</figcaption>
<p class="figure-description" id="${spec.id}-desc">${spec.description}</p>
<div class="chart">${trusted(markup)}</div>
<details class="figure-data"><summary>Data (${spec.data.length} rows)</summary>${dataTable(spec.data, spec.columns)}</details>
<p class="figure-download"><a download="${spec.id}.csv" href="${csv}">Download the data as CSV</a></p>
</figure>`;
}
