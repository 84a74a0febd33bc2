// Renders reports into one self-contained HTML file each, plus an index page and a manifest.
import fs from 'node:fs';
import path from 'node:path';
import { VERSION } from '../platform/version.js';
import { html } from './html.js';
import { ReportDocument } from './document.js';
import { renderPage } from './page.js';
import type { ReportContext, ReportDefinition } from './definition.js';
import { loadReportDefinitions } from './registry.js';

export type RenderedReport = {
  report: string;
  param: string | null;
  title: string;
  file: string;
  status: 'ok' | 'failed';
  error?: string;
  asOf: string;
  bytes: number;
  figures: number;
  ms: number;
};

export type RenderOptions = {
  outDir: string;
  only?: string[] | undefined;
  /** Fixes a parameterised report's parameter (e.g. experiment=email-subject-line). */
  params?: Record<string, string> | undefined;
  onProgress?: (done: number, total: number, current: string) => void;
  definitions?: ReportDefinition[];
};

const fileSlug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'x';
export const reportFile = (name: string, param: string | null) =>
  `${name}${param === null ? '' : `--${fileSlug(param)}`}.html`;

function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

export async function renderReport(
  ctx: ReportContext,
  def: ReportDefinition,
  param: string | null,
): Promise<{ html: string; figures: number }> {
  const loaded = await def.load(ctx, param);
  const doc = new ReportDocument();
  const extra = def.render(doc, loaded.data, param) ?? {};
  const page = renderPage({
    title: def.title(param),
    subtitle: extra.subtitle ?? def.summary,
    generator: `Attune ${VERSION}`,
    body: doc.blocks,
    provenance: {
      asOf: ctx.now.toISOString(),
      window: loaded.window,
      params: def.parameter && param !== null ? { [def.parameter.name]: param } : {},
      models: loaded.models ?? [],
      sources: loaded.sources,
    },
  });
  return { html: page, figures: doc.figureIds.size };
}

export async function renderReports(ctx: ReportContext, options: RenderOptions): Promise<RenderedReport[]> {
  const all = options.definitions ?? (await loadReportDefinitions());
  const unknown = (options.only ?? []).filter((n) => !all.some((d) => d.name === n));
  if (unknown.length)
    throw new Error(
      `no report named ${unknown.map((n) => `"${n}"`).join(', ')}; reports: ${all.map((d) => d.name).join(', ')}`,
    );
  const defs = options.only?.length ? all.filter((d) => options.only!.includes(d.name)) : all;
  const jobs: { def: ReportDefinition; param: string | null }[] = [];
  for (const def of defs) {
    if (!def.parameter) jobs.push({ def, param: null });
    else {
      const fixed = options.params?.[def.parameter.name];
      const values = fixed !== undefined ? [fixed] : await def.parameter.values(ctx);
      for (const v of values) jobs.push({ def, param: v });
    }
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  const results: RenderedReport[] = [];
  for (const [i, { def, param }] of jobs.entries()) {
    const file = reportFile(def.name, param);
    options.onProgress?.(i, jobs.length, file);
    const started = performance.now();
    const base = { report: def.name, param, title: def.title(param), file, asOf: ctx.now.toISOString() };
    try {
      const out = await renderReport(ctx, def, param);
      writeAtomically(path.join(options.outDir, file), out.html);
      results.push({
        ...base,
        status: 'ok',
        bytes: Buffer.byteLength(out.html),
        figures: out.figures,
        ms: performance.now() - started,
      });
    } catch (err) {
      results.push({
        ...base,
        status: 'failed',
        error: (err as Error).message,
        bytes: 0,
        figures: 0,
        ms: performance.now() - started,
      });
    }
  }
  options.onProgress?.(jobs.length, jobs.length, '');
  writeIndex(options.outDir, results, ctx.now);
  return results;
}

/** The index lists every report rendered so far: this run's, and earlier ones still on disk. */
function writeIndex(outDir: string, fresh: RenderedReport[], now: Date): void {
  const manifestFile = path.join(outDir, 'manifest.json');
  const previous: RenderedReport[] = fs.existsSync(manifestFile)
    ? (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { reports: RenderedReport[] }).reports
    : [];
  const byFile = new Map(
    previous.filter((r) => fs.existsSync(path.join(outDir, r.file))).map((r) => [r.file, r]),
  );
  for (const r of fresh) byFile.set(r.file, r);
  const reports = [...byFile.values()].sort(
    (a, b) => a.report.localeCompare(b.report) || (a.param ?? '').localeCompare(b.param ?? ''),
  );
  writeAtomically(manifestFile, JSON.stringify({ generatedAt: now.toISOString(), reports }, null, 2) + '\n');
  const body = html`<h2>Reports</h2><div class="table-wrap"><table><caption>Every report, newest rendering first within each kind</caption>
<thead><tr><th scope="col">Report</th><th scope="col">As of</th><th scope="col">Status</th><th scope="col">Size</th></tr></thead><tbody>
${reports.map((r) => html`<tr><td>${r.status === 'ok' ? html`<a href="${r.file}">${r.title}</a>` : r.title}</td><td>${r.asOf.slice(0, 16).replace('T', ' ')} UTC</td><td>${r.status === 'ok' ? 'ok' : `failed: ${r.error ?? ''}`}</td><td>${r.status === 'ok' ? `${(r.bytes / 1024).toFixed(0)} KiB` : ''}</td></tr>`)}
</tbody></table></div>`;
  writeAtomically(
    path.join(outDir, 'index.html'),
    renderPage({
      title: 'Attune reports',
      subtitle: 'Self-contained pages: each opens offline, prints cleanly and states the data it shows.',
      generator: `Attune ${VERSION}`,
      body: [body],
      provenance: {
        asOf: now.toISOString(),
        window: null,
        params: {},
        models: [],
        sources: ['manifest.json in this folder'],
      },
    }),
  );
}
