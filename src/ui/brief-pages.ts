// The SEO editors' review pages: the queue with filters, and one brief side by side with its sources and
// guardrail findings, with forms to edit, request changes, approve and reject. Server-rendered, no
// script; every text from a brief, a source or an editor is escaped by the html template.
import { html, trusted, type SafeHtml } from '../reports/html.js';
import type { Principal } from '../platform/http/env.js';
import { BRIEF_SECTIONS, BRIEF_STATUSES, type BriefEvent, type StoredBrief } from '../content/index.js';
import { layout } from './pages.js';

export const BRIEF_CSS = `
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; align-items: start; }
@media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }
.findings { list-style: none; padding: 0; font-size: .88rem; }
.findings li { border-left: 4px solid var(--line); padding: .2rem .6rem; margin: .4rem 0; }
.findings li.flag, .findings li.re-ask { border-left-color: var(--warn); }
.findings li.block { border-left-color: var(--bad); }
.findings li.fix { border-left-color: var(--info); }
.findings .judge { display: inline-block; margin-top: .2rem; }
.badge { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 0 .55rem; font-size: .8rem; background: var(--panel); }
.badge.offline { border-color: var(--warn); color: var(--warn); font-weight: 600; }
.badge.approved { border-color: var(--good); color: var(--good); }
.badge.rejected { border-color: var(--bad); color: var(--bad); }
.notice { border: 1px solid var(--line); border-left: 4px solid var(--info); padding: .5rem .75rem; margin: .75rem 0; background: var(--panel); }
.notice.warn { border-left-color: var(--warn); }
.notice.error { border-left-color: var(--bad); }
.source { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; margin: .5rem 0; font-size: .9rem; }
.source:target { outline: 3px solid var(--info); }
.cite { font-size: .8rem; }
form.filters { display: flex; gap: .75rem; flex-wrap: wrap; align-items: end; }
form.filters label { margin: 0; font-weight: 600; font-size: .85rem; }
select, textarea, input[type=text], input[type=search], input[type=url] { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .3rem .4rem; }
textarea { width: 100%; min-height: 5rem; }
textarea.tall { min-height: 16rem; font-family: ui-monospace, monospace; font-size: .85rem; }
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 1rem 0; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .3rem; }
pre { white-space: pre-wrap; font-size: .8rem; background: var(--panel); padding: .5rem; border-radius: 6px; }
.actions { display: flex; gap: 1rem; flex-wrap: wrap; }
.actions fieldset { flex: 1 1 18rem; }
`;

const generatorBadge = (g: StoredBrief['generator']) =>
  g.kind === 'offline'
    ? html`<span class="badge offline" title="${g.note ?? ''}">offline draft</span>`
    : html`<span class="badge">${g.label}</span>`;

export type QueueFilter = { status?: string; language?: string; q?: string };

export function queuePage(
  briefs: StoredBrief[],
  filter: QueueFilter,
  principal: Principal,
  offline: string | null,
): string {
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}"${current === value ? trusted(' selected') : ''}>${label}</option>`;
  const rows = briefs.map(
    (
      b,
    ) => html`<tr><td><a href="/ui/briefs/${b.id}">${b.keyword}</a></td><td><span class="badge ${b.status}">${b.status}</span></td>
<td>${b.language}</td><td>${b.score.total}</td><td>${generatorBadge(b.generator)}</td><td>${b.findings.filter((f) => f.action === 'flag' || f.action === 're-ask').length}</td>
<td>v${b.version}</td><td>${b.updatedAt.slice(0, 16).replace('T', ' ')} UTC</td></tr>`,
  );
  return layout(
    'SEO briefs',
    html`${offline ? html`<p class="notice warn" role="note"><strong>Offline generator.</strong> ${offline}</p>` : ''}
<form class="filters" method="get" action="/ui/briefs" role="search" aria-label="Filter the queue">
<div><label for="f-status">Status</label><select id="f-status" name="status">${option('', filter.status, 'any')}${BRIEF_STATUSES.map((s) => option(s, filter.status))}</select></div>
<div><label for="f-language">Language</label><select id="f-language" name="language">${option('', filter.language, 'any')}${option('en', filter.language, 'English')}${option('de', filter.language, 'German')}</select></div>
<div><label for="f-q">Keyword contains</label><input id="f-q" name="q" type="search" value="${filter.q ?? ''}"></div>
<div><button type="submit">Filter</button></div></form>
${
  briefs.length
    ? html`<div class="table-wrap"><table><caption>${briefs.length} brief(s); those in review first</caption>
<thead><tr><th scope="col">Keyword</th><th scope="col">Status</th><th scope="col">Language</th><th scope="col">Score</th><th scope="col">Generator</th><th scope="col">Flags</th><th scope="col">Version</th><th scope="col">Updated</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : html`<p>No brief matches these filters.</p>`
}
<h2 id="new">New brief</h2>
<form method="post" action="/ui/briefs">
<label for="n-keyword">Target keyword</label><input id="n-keyword" name="keyword" type="text" required minlength="2" maxlength="100">
<label for="n-language">Language</label><select id="n-language" name="language">${option('', undefined, 'detect')}${option('en', undefined, 'English')}${option('de', undefined, 'German')}</select>
<label for="n-url">Competitor page URL (optional)</label><input id="n-url" name="competitorUrl" type="url" maxlength="2000">
<label for="n-text">Competitor page text or HTML (optional)</label><textarea id="n-text" name="competitorText" maxlength="200000"></textarea>
<p><button type="submit">Generate brief</button></p></form>`,
    principal,
    { wide: true, css: BRIEF_CSS },
  );
}

/** The outline as editable text: "## H2", "### H3", "- point [s1, s2]". */
export function outlineText(outline: StoredBrief['brief']['outline']): string {
  const point = (p: { text: string; sources: string[] }) =>
    `- ${p.text}${p.sources.length ? ` [${p.sources.join(', ')}]` : ''}`;
  return outline
    .map((s) =>
      [
        `## ${s.heading}`,
        ...s.points.map(point),
        ...s.subsections.flatMap((x) => [`### ${x.heading}`, ...x.points.map(point)]),
      ].join('\n'),
    )
    .join('\n\n');
}

const cites = (ids: string[]) =>
  ids.length
    ? html` <span class="cite">${ids.map((id, i) => html`${i ? ', ' : ''}<a href="#source-${id}">${id}</a>`)}</span>`
    : '';

/** The LLM judge's dispute or rescue under its finding (its agreement and its failures stay in the audit). */
const judgeLine = (j: StoredBrief['findings'][number]['judge']) =>
  j?.verdict === 'disputed' || j?.verdict === 'rescued'
    ? html`<br><span class="judge ${j.verdict}"><strong>${j.verdict === 'disputed' ? 'LLM judge disputes' : 'Flagged by the LLM judge'}</strong>${j.model ? html` <span class="cite">(${j.model})</span>` : ''}: ${j.reason ?? ''}</span>`
    : '';

export type PageMessage = { kind: 'info' | 'error' | 'warn'; text: string } | null;

export function briefPage(
  b: StoredBrief,
  history: BriefEvent[],
  principal: Principal,
  message: PageMessage,
  draft?: Record<string, string>,
): string {
  const d = b.brief;
  const open = b.status === 'in-review';
  const list = (items: string[]) =>
    html`<ol>${items.map((t) => html`<li>${t} <span class="cite">(${t.length} characters)</span></li>`)}</ol>`;
  const findingItems = b.findings.map(
    (f) =>
      html`<li class="finding ${f.action}"><strong>${f.action}</strong> · ${f.section}<br><span class="cite">${f.stage} / ${f.check} / ${f.rule}</span><br>${f.message}${judgeLine(f.judge)}</li>`,
  );
  const value = (name: string, fallback: string) => draft?.[name] ?? fallback;
  const main = html`
<p>${generatorBadge(b.generator)} <span class="badge ${b.status}">${b.status}</span> <span class="badge">version ${b.version}</span>
<span class="badge">${d.intent}</span> <span class="badge">${d.language === 'de' ? 'German' : 'English'}</span></p>
${b.generator.kind === 'offline' ? html`<p class="notice warn" role="note"><strong>Offline draft.</strong> ${b.generator.note ?? ''}</p>` : ''}
<h2 id="score">Content score: ${b.score.total} / 100</h2>
<p>Terms ${b.score.parts.terms} of 40 · questions ${b.score.parts.questions} of 20 · cited points ${b.score.parts.sources} of 20 · metadata ${b.score.parts.metadata} of 20.</p>
${b.score.warnings.length ? html`<ul>${b.score.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<h2 id="titles">Title options</h2>${list(d.titles)}
<h2 id="h1s">H1 options</h2>${list(d.h1s)}
<h2 id="meta">Meta description options</h2>${list(d.metaDescriptions)}
<h2 id="outline">Outline</h2>
${d.outline.map(
  (
    s,
  ) => html`<h3>${s.heading}</h3><ul>${s.points.map((p) => html`<li>${p.text}${cites(p.sources)}</li>`)}</ul>
${s.subsections.map((x) => html`<h4>${x.heading}</h4><ul>${x.points.map((p) => html`<li>${p.text}${cites(p.sources)}</li>`)}</ul>`)}`,
)}
<h2 id="terms">Terms and target mentions</h2>
<div class="table-wrap"><table><caption>Mention each term within its range in a page of ${d.wordCount.min}–${d.wordCount.max} words</caption>
<thead><tr><th scope="col">Term</th><th scope="col">Mentions</th><th scope="col">Found in</th></tr></thead>
<tbody>${d.terms.map((t) => html`<tr><td>${t.term}</td><td>${t.min}–${t.max}</td><td>${t.from.join(', ')}</td></tr>`)}</tbody></table></div>
<h2 id="entities">Entities</h2><p>${d.entities.map((e, i) => html`${i ? ' · ' : ''}${e.name} <span class="cite">(${e.kind})</span>`)}</p>
<h2 id="questions">Questions to answer</h2><ul>${d.questions.map((q) => html`<li>${q.text}${q.source ? cites([q.source]) : ''}</li>`)}</ul>
<h2 id="length">Length</h2><p>${d.wordCount.min}–${d.wordCount.max} words (${d.wordCount.basis}).</p>
<h2 id="links">Internal links</h2><ul>${d.internalLinks.map((l) => html`<li><code>${l.url}</code>: ${l.anchor}</li>`)}</ul>
<h2 id="jsonld">Structured data (JSON-LD)</h2><pre>${JSON.stringify(d.jsonLd, null, 2)}</pre>
<h2 id="notes">Notes</h2><ul>${d.notes.map((n) => html`<li>${n}</li>`)}</ul>`;

  const side = html`<h2 id="findings">Guardrail findings (${b.findings.length})</h2>
${
  b.findings.length
    ? html`<ul class="findings" aria-label="Every finding of the input, passage and output checks">${findingItems}</ul>`
    : html`<p>None: every text passed.</p>`
}
<h2 id="sources">Sources (${b.sources.length})</h2>
${b.sources.map(
  (s) =>
    html`<div class="source" id="source-${s.id}" tabindex="-1"><strong>${s.id}</strong> <code>${s.documentUrl}</code> · ${s.headingPath.join(' › ') || s.title}<br>${s.text}</div>`,
)}`;

  const v = html`<input type="hidden" name="version" value="${b.version}">`;
  const forms = open
    ? html`<h2 id="review">Review</h2>
<div class="actions">
<fieldset><legend>Approve</legend><form method="post" action="/ui/briefs/${b.id}/approve">${v}
<label for="a-note">Note (optional)</label><input id="a-note" name="reason" type="text" maxlength="1000">
<p><button type="submit">Approve brief</button></p></form></fieldset>
<fieldset><legend>Request changes</legend><form method="post" action="/ui/briefs/${b.id}/request-changes">${v}
<label for="r-section">Section to regenerate</label><select id="r-section" name="section">${BRIEF_SECTIONS.map((s) => html`<option value="${s}">${s}</option>`)}</select>
<label for="r-reason">Reason</label><textarea id="r-reason" name="reason" required minlength="3" maxlength="1000">${value('changeReason', '')}</textarea>
<p><button type="submit">Regenerate section</button></p></form></fieldset>
<fieldset><legend>Reject</legend><form method="post" action="/ui/briefs/${b.id}/reject">${v}
<label for="j-reason">Reason</label><textarea id="j-reason" name="reason" required minlength="3" maxlength="1000"></textarea>
<p><button type="submit">Reject brief</button></p></form></fieldset>
</div>
<fieldset><legend>Edit</legend><form method="post" action="/ui/briefs/${b.id}/edit">${v}
<label for="e-titles">Title options, one per line</label><textarea id="e-titles" name="titles">${value('titles', d.titles.join('\n'))}</textarea>
<label for="e-h1s">H1 options, one per line</label><textarea id="e-h1s" name="h1s">${value('h1s', d.h1s.join('\n'))}</textarea>
<label for="e-meta">Meta descriptions, one per line</label><textarea id="e-meta" name="metaDescriptions">${value('metaDescriptions', d.metaDescriptions.join('\n'))}</textarea>
<label for="e-outline">Outline: "## H2", "### H3", "- point [s1, s2]"</label><textarea id="e-outline" class="tall" name="outline">${value('outline', outlineText(d.outline))}</textarea>
<label for="e-words-min">Words, from</label><input id="e-words-min" name="wordsMin" type="text" inputmode="numeric" value="${value('wordsMin', String(d.wordCount.min))}">
<label for="e-words-max">Words, to</label><input id="e-words-max" name="wordsMax" type="text" inputmode="numeric" value="${value('wordsMax', String(d.wordCount.max))}">
<p><button type="submit">Save edits</button></p></form></fieldset>`
    : html`<p class="notice">This brief is ${b.status}; it no longer changes.${b.approvedUsage ? html` Generation cost: ${b.approvedUsage.requests} model request(s), ${b.approvedUsage.promptTokens + b.approvedUsage.completionTokens} tokens, $${b.approvedUsage.costUsd.toFixed(4)}.` : ''}</p>`;

  const historyTable = html`<h2 id="history">History</h2><div class="table-wrap"><table><caption>Every action on this brief</caption>
<thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Version</th><th scope="col">Section</th><th scope="col">Reason</th></tr></thead>
<tbody>${history.map((e) => html`<tr><td>${e.at.slice(0, 19).replace('T', ' ')}</td><td>${e.actor}</td><td>${e.action}</td><td>${e.version}</td><td>${e.section ?? ''}</td><td>${e.reason ?? ''}</td></tr>`)}</tbody></table></div>`;

  return layout(
    `Brief: ${d.keyword}`,
    html`<p><a href="/ui/briefs">← Back to the queue</a></p>
${message ? html`<p class="notice ${message.kind}" role="${message.kind === 'error' ? 'alert' : 'status'}">${message.text}</p>` : ''}
<div class="grid"><section aria-label="Brief">${main}</section><aside class="side" aria-label="Sources and findings">${side}</aside></div>
${forms}${historyTable}`,
    principal,
    { wide: true, css: BRIEF_CSS },
  );
}

/** Parses the outline text of the edit form; problems name the line. */
export function parseOutlineText(
  text: string,
): { outline: StoredBrief['brief']['outline'] } | { problem: string } {
  const outline: StoredBrief['brief']['outline'] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('### ')) {
      const s = outline.at(-1);
      if (!s) return { problem: `line ${i + 1}: an H3 needs an H2 above it` };
      s.subsections.push({ heading: line.slice(4).trim(), points: [] });
    } else if (line.startsWith('## ')) {
      outline.push({ heading: line.slice(3).trim(), points: [], subsections: [] });
    } else if (line.startsWith('- ')) {
      const s = outline.at(-1);
      if (!s) return { problem: `line ${i + 1}: a point needs an H2 above it` };
      const m = /^(.*?)\s*\[([^\]]*)\]\s*$/.exec(line.slice(2));
      const point = m
        ? {
            text: m[1]!.trim(),
            sources: m[2]!
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          }
        : { text: line.slice(2).trim(), sources: [] };
      (s.subsections.at(-1)?.points ?? s.points).push(point);
    } else return { problem: `line ${i + 1}: start it with "## ", "### " or "- "` };
  }
  return outline.length ? { outline } : { problem: 'the outline needs at least one "## " section' };
}

export type { SafeHtml };
