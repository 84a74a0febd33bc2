// The self-contained HTML page around a report: inline CSS (light, dark, print), the provenance
// header (as-of time, data window, parameters, model versions), no external resource of any kind.
import { html, trusted, type SafeHtml } from './html.js';

export type Provenance = {
  asOf: string;
  window: { from: string; to: string } | null;
  params: Record<string, string>;
  models: { name: string; version: string }[];
  sources: string[];
};

export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d1f24; --muted: #5d6370; --line: #d8dbe0; --panel: #f5f6f8;
  --good: #1f7a3a; --bad: #b3261e; --warn: #8a5a00; --info: #2b5aa0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171b; --fg: #e7e9ee; --muted: #a2a8b4; --line: #3a3f49; --panel: #1f2228;
    --good: #6cc785; --bad: #ff8a80; --warn: #f0c05a; --info: #8fb4f0; }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 1rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
a { color: var(--info); }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.provenance { font-size: .85rem; color: var(--muted); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; background: var(--panel); }
.provenance dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: 0; }
.provenance dt { font-weight: 600; }
.provenance dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; background: var(--panel); break-inside: avoid; }
.card-label { font-size: .8rem; color: var(--muted); }
.card-value { font-size: 1.35rem; font-weight: 650; }
.card-note { font-size: .8rem; color: var(--muted); }
.tone-good { border-left: 4px solid var(--good); } .tone-bad { border-left: 4px solid var(--bad); }
.tone-warn { border-left: 4px solid var(--warn); } .tone-info { border-left: 4px solid var(--info); }
.callout { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: 1rem 0; background: var(--panel); break-inside: avoid; }
figure { margin: 1.5rem 0; padding: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; }
.figure-description { color: var(--muted); font-size: .85rem; margin: .1rem 0 .5rem; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
/* On a phone a chart keeps a legible size and scrolls sideways inside its own box (a legend's swatches keep theirs). */
@media (max-width: 520px) { .chart svg { min-width: 480px; } .chart [class*="-swatches"] svg { min-width: 0; } }
.chart svg[class^="plot-"] { --plot-background: var(--bg); background: transparent; }
details.figure-data { font-size: .85rem; margin-top: .25rem; }
.figure-download { font-size: .8rem; margin: .25rem 0 0; }
.table-wrap, details.figure-data { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td { max-width: 32rem; }
th { background: var(--panel); }
tr { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 3rem; font-size: .8rem; color: var(--muted); }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --panel: #fff; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  a[download], .figure-download { display: none; }
  details.figure-data:not([open]) { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
}
@page { margin: 14mm; }
`;

export function renderPage(options: {
  title: string;
  subtitle?: string;
  provenance: Provenance;
  body: SafeHtml[];
  generator: string;
}): string {
  const p = options.provenance;
  const meta: [string, string][] = [
    ['As of', p.asOf],
    ['Data window', p.window ? `${p.window.from} to ${p.window.to}` : 'all stored data'],
    [
      'Parameters',
      Object.keys(p.params).length
        ? Object.entries(p.params)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')
        : 'none',
    ],
    [
      'Model versions',
      p.models.length
        ? p.models.map((m) => `${m.name} ${m.version}`).join(', ')
        : 'no model output in this report',
    ],
    ['Sources', p.sources.join('; ')],
  ];
  return `<!doctype html>\n${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${options.generator}"><meta name="attune-as-of" content="${p.asOf}">
<title>${options.title}</title><style>${trusted(REPORT_CSS)}</style></head>
<body><header><h1>${options.title}</h1>${options.subtitle ? html`<p class="subtitle">${options.subtitle}</p>` : ''}
<section class="provenance" aria-label="What this report shows"><dl>${meta.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section></header>
<main>${options.body}</main>
<footer>Generated by ${options.generator}. Every chart's data is in the table under it and downloadable as CSV.</footer>
</body></html>`.value
  }\n`;
}
