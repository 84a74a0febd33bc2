// Server-rendered pages. Same stylesheet and escaping rules as the reports: every piece of text
// from users (experiment names, hypotheses, variation names, key names) is escaped.
import { html, trusted, type SafeHtml } from '../reports/html.js';
import { REPORT_CSS } from '../reports/page.js';
import type { Principal } from '../platform/http/env.js';
import type { Experiment } from '../experiments/definition.js';
import type { RenderedReport } from '../reports/render.js';

const UI_CSS = `
nav.top { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; border-bottom: 1px solid var(--line); padding-bottom: .5rem; margin-bottom: 1rem; }
nav.top .who { margin-left: auto; color: var(--muted); font-size: .85rem; }
nav.top form { display: inline; }
button, input { font: inherit; color: inherit; }
button { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: .3rem .8rem; cursor: pointer; }
input[type=password] { width: 100%; max-width: 30rem; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
body.wide { max-width: 92rem; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--info); outline-offset: 2px; }
.error { color: var(--bad); }
`;

export function layout(
  title: string,
  body: SafeHtml | SafeHtml[],
  principal: Principal | null,
  options: { wide?: boolean; css?: string } = {},
): string {
  return `<!doctype html>\n${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Attune</title><style>${trusted(REPORT_CSS + UI_CSS + (options.css ?? ''))}</style></head><body${options.wide ? trusted(' class="wide"') : ''}>
<nav class="top" aria-label="Main"><strong>Attune</strong>${
      principal
        ? html`<a href="/ui/reports">Reports</a><a href="/ui/experiments">Experiments</a><a href="/ui/briefs">Briefs</a>
<span class="who">${principal.name} (${principal.role})</span><form method="post" action="/ui/logout"><button type="submit">Sign out</button></form>`
        : ''
    }</nav>
<main><h1>${title}</h1>${body}</main></body></html>`.value
  }\n`;
}

export function loginPage(error: string | null, next: string): string {
  return layout(
    'Sign in',
    html`<p>Sign in with an Attune API key (marketer, editor, analyst or admin). The key is checked once; the browser then keeps a session cookie that never contains it.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ui/login"><input type="hidden" name="next" value="${next}">
<label for="key">API key</label><input id="key" name="key" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p></form>`,
    null,
  );
}

export function reportsPage(reports: RenderedReport[], principal: Principal): string {
  if (!reports.length)
    return layout(
      'Reports',
      html`<p>No report has been rendered yet. Run <code>attune reports render</code> or queue the <code>reports.render</code> job.</p>`,
      principal,
    );
  const rows = reports.map(
    (
      r,
    ) => html`<tr><td>${r.status === 'ok' ? html`<a href="/reports/${r.file}">${r.title}</a>` : r.title}</td>
<td>${r.asOf.slice(0, 16).replace('T', ' ')} UTC</td><td>${r.status === 'ok' ? 'ok' : `failed: ${r.error ?? ''}`}</td></tr>`,
  );
  return layout(
    'Reports',
    html`<div class="table-wrap"><table><caption>Rendered reports</caption>
<thead><tr><th scope="col">Report</th><th scope="col">As of</th><th scope="col">Status</th></tr></thead><tbody>${rows}</tbody></table></div>`,
    principal,
  );
}

export function experimentsPage(
  experiments: Experiment[],
  rendered: Set<string>,
  principal: Principal,
): string {
  if (!experiments.length)
    return layout(
      'Experiments',
      html`<p>No experiments yet. Analysts define them with <code>POST /v1/experiments</code>.</p>`,
      principal,
    );
  const rows = experiments.map(
    (
      e,
    ) => html`<tr><td>${rendered.has(`experiment--${e.key}.html`) ? html`<a href="/reports/experiment--${e.key}.html">${e.name}</a>` : e.name}</td>
<td>${e.key}</td><td>${e.status}</td><td>${e.startAt?.toISOString().slice(0, 10) ?? '–'} to ${e.stopAt?.toISOString().slice(0, 10) ?? 'open'}</td>
<td>${e.variations.map((v) => `${v.name} (${Math.round(v.weight * 100)}%)`).join(', ')}</td><td>${e.hypothesis}</td></tr>`,
  );
  return layout(
    'Experiments',
    html`<div class="table-wrap"><table><caption>Every experiment; the name opens its report when one has been rendered</caption>
<thead><tr><th scope="col">Experiment</th><th scope="col">Key</th><th scope="col">Status</th><th scope="col">Dates</th><th scope="col">Variations</th><th scope="col">Hypothesis</th></tr></thead>
<tbody>${rows}</tbody></table></div>`,
    principal,
  );
}
