// The rendered reports and the /ui pages as a person sees them: headless Chromium, light and dark,
// narrow and wide. No request leaves the file, no console error, every figure has a caption, an
// accessible SVG, its data table and CSV; print keeps figures and table rows whole; a hostile
// experiment name renders as text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeWorld } from '../src/sim/output.js';
import { ensureWorldExperiments, loadDemoWorld } from '../src/demo/load-world.js';
import { renderReports, type RenderedReport } from '../src/reports/render.js';
import { createExperiment } from '../src/experiments/store.js';
import { CreateExperimentSchema } from '../src/experiments/definition.js';
import { startServer } from '../src/server.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { fromRoot } from '../src/platform/paths.js';
import { importDataset } from '../src/models/mmm/store.js';
import { fitDataset } from '../src/models/mmm/train.js';
import { FitRequestSchema } from '../src/models/mmm/schemas.js';
import { ARTIFACTS, launchBrowser } from './helpers/browser.js';

const HOSTILE = `<script>alert("x")</script> "quoted" 'single' & עברית ${'long '.repeat(90)}`.slice(0, 500);
const VIEWPORTS = [
  { name: 'narrow', width: 375, height: 800 },
  { name: 'wide', width: 1280, height: 900 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
/** A4 minus the report's 14 mm page margins, in CSS pixels. */
const PRINTABLE_HEIGHT_PX = ((297 - 28) / 25.4) * 96;

const worldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-report-world-'));
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-reports-'));
let t: TestContext;
let browser: Browser;
let rendered: RenderedReport[];

/** Opens a page and records anything that would break the offline promise. */
async function open(
  url: string,
  options: { width: number; height: number; scheme: 'light' | 'dark' },
  allowOrigin?: string,
) {
  const page = await browser.newPage({
    viewport: { width: options.width, height: options.height },
    colorScheme: options.scheme,
  });
  const problems: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:') && !(allowOrigin && u.startsWith(allowOrigin)))
      problems.push(`request to ${u}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

async function figureChecks(page: Page) {
  // Browser-side code as a string: this project compiles without the DOM library.
  return page.evaluate<
    {
      id: string;
      caption: string;
      svgRole: string | null;
      labelled: boolean;
      tableRows: number;
      csv: boolean;
    }[]
  >(`[...document.querySelectorAll('figure')].map((f) => ({
    id: f.id,
    caption: f.querySelector('figcaption')?.textContent?.trim() ?? '',
    svgRole: f.querySelector('svg')?.getAttribute('role') ?? null,
    labelled: Boolean(f.querySelector('svg')?.getAttribute('aria-labelledby') && f.querySelector('svg')?.getAttribute('aria-describedby')),
    tableRows: f.querySelectorAll('details table tbody tr').length,
    csv: f.querySelector('a[download]')?.getAttribute('href')?.startsWith('data:text/csv') ?? false,
  }))`);
}

beforeAll(async () => {
  writeWorld({ seed: 21, customers: 300, days: 90 }, worldDir);
  t = await openTestServices('server', { env: { ATTUNE_REPORTS_DIR: outDir } });
  await loadDemoWorld(t.services, worldDir);
  await ensureWorldExperiments(t.services, worldDir);
  await createExperiment(
    t.services.database.db,
    CreateExperimentSchema.parse({
      key: 'hostile-name',
      name: HOSTILE,
      hypothesis: HOSTILE,
      purpose: 'marketing',
      variations: [
        { name: 'control', weight: 0.5 },
        { name: `${HOSTILE.slice(0, 80)} variant`, weight: 0.5 },
      ],
      goalMetrics: [
        { name: `<b>orders</b> "${HOSTILE.slice(0, 20)}"`, type: 'binomial', event: 'Order Completed' },
      ],
    }),
    'test',
    new Date(),
  );
  await t.services.queue.registry.runInline('drift.monitors', { backfillWeeks: 3 }, t.services.log);
  // A fitted marketing-mix model (a short run), so its per-version report is rendered and checked too.
  await importDataset(
    t.services.database,
    'example',
    fs.readFileSync(fromRoot('fixtures/mmm/mmm_example.csv'), 'utf8'),
    { dateColumn: 'date_week', kpi: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2'] },
    { actor: 'test' },
  );
  await fitDataset(
    t.services.database,
    FitRequestSchema.parse({ dataset: 'example', chains: 2, draws: 60, warmup: 60 }),
    { actor: 'test' },
  );
  rendered = await renderReports({ database: t.services.database, now: new Date() }, { outDir });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  fs.rmSync(worldDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('rendered reports in Chromium', () => {
  it('renders every report without failures', () => {
    expect(rendered.filter((r) => r.status === 'failed')).toEqual([]);
    expect(rendered.reduce((n, r) => n + r.figures, 0)).toBeGreaterThan(10);
    expect(rendered.map((r) => r.report)).toEqual(
      expect.arrayContaining(['experiment', 'experiments', 'drift', 'data-quality', 'mmm']),
    );
    expect(rendered.filter((r) => r.report === 'experiment')).toHaveLength(5);
  });

  it('opens offline with no request, no console error, and accessible figures with their data, in light and dark, narrow and wide', async () => {
    const files = ['index.html', ...rendered.map((r) => r.file)];
    for (const file of files) {
      for (const viewport of VIEWPORTS) {
        for (const scheme of SCHEMES) {
          const { page, problems } = await open(`file://${path.join(outDir, file)}`, { ...viewport, scheme });
          expect(problems, `${file} ${viewport.name} ${scheme}`).toEqual([]);
          // Every chart the renderer drew is on the page as one figure (and only those).
          const figures = await figureChecks(page);
          expect(figures.length, file).toBe(rendered.find((r) => r.file === file)?.figures ?? 0);
          for (const f of figures) {
            expect(f.caption, `${file} #${f.id}`).not.toBe('');
            expect(f.svgRole, `${file} #${f.id}`).toBe('img');
            expect(f.labelled, `${file} #${f.id}`).toBe(true);
            expect(f.tableRows, `${file} #${f.id}`).toBeGreaterThan(0);
            expect(f.csv, `${file} #${f.id}`).toBe(true);
          }
          // Nothing wider than the screen except inside scrollable table wrappers.
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          expect(overflow, `${file} ${viewport.name} overflows by ${overflow}px`).toBeLessThanOrEqual(1);
          if (file.startsWith('experiment--email') || file === 'drift.html' || file.startsWith('mmm--'))
            await page.screenshot({
              path: `${ARTIFACTS}/${file.replace('.html', '')}-${viewport.name}-${scheme}.png`,
              fullPage: true,
            });
          await page.close();
        }
      }
    }
  }, 240_000);

  it('states its as-of time, data window and parameters', async () => {
    const { page } = await open(`file://${path.join(outDir, 'experiment--email-subject-line.html')}`, {
      width: 1280,
      height: 900,
      scheme: 'light',
    });
    const text = await page.locator('.provenance').innerText();
    expect(text).toMatch(/As of\s+\d{4}-\d{2}-\d{2}T/);
    expect(text).toMatch(/Data window\s+\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    expect(text).toContain('experiment = email-subject-line');
    await page.close();
  });

  it('renders a hostile experiment name as text, in the report and on the overview', async () => {
    for (const file of ['experiment--hostile-name.html', 'experiments.html']) {
      const { page, problems } = await open(`file://${path.join(outDir, file)}`, {
        width: 1280,
        height: 900,
        scheme: 'light',
      });
      expect(problems).toEqual([]);
      expect(await page.evaluate<number>("document.querySelectorAll('script').length")).toBe(0);
      const body = await page.evaluate<string>('document.body.innerText');
      expect(body).toContain('<script>alert("x")</script> "quoted" \'single\' & עברית');
      if (file.startsWith('experiment--')) {
        expect(body).toContain('<b>orders</b>');
        await page.screenshot({ path: `${ARTIFACTS}/hostile-name.png` });
      }
      await page.close();
    }
  });

  it('prints without cutting a figure or a table row across pages', async () => {
    for (const file of ['experiment--email-subject-line.html', 'drift.html', 'data-quality.html']) {
      const { page } = await open(`file://${path.join(outDir, file)}`, {
        width: 794,
        height: 1123,
        scheme: 'light',
      });
      await page.emulateMedia({ media: 'print' });
      const blocks = await page.evaluate<
        { tag: string; avoid: string; height: number }[]
      >(`[...document.querySelectorAll('figure, tr, .card')].map((el) => ({
        tag: el.tagName, avoid: getComputedStyle(el).breakInside, height: el.getBoundingClientRect().height,
      }))`);
      for (const b of blocks) {
        expect(b.avoid, `${file} ${b.tag}`).toBe('avoid');
        // break-inside: avoid can only hold for a block shorter than a page.
        expect(b.height, `${file} ${b.tag} is taller than a printed page`).toBeLessThan(PRINTABLE_HEIGHT_PX);
      }
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThan(1);
      await page.close();
    }
  });
});

describe('/ui pages in Chromium', () => {
  it('signs in with a key, lists reports and experiments, shows hostile text as text, and refuses machine keys', async () => {
    const running = await startServer(t.services);
    try {
      const marketer = await t.keyFor('marketer');
      const origin = running.url;
      for (const scheme of SCHEMES)
        for (const viewport of VIEWPORTS) {
          const { page, problems } = await open(`${origin}/ui`, { ...viewport, scheme }, origin);
          expect(page.url()).toContain('/ui/login');
          await page.fill('#key', marketer);
          await page.click('button[type=submit]');
          await page.waitForURL(/\/ui\/reports$/);
          expect(await page.locator('main a[href^="/reports/experiment--"]').count()).toBe(5);
          await page.click('a[href="/reports/experiments.html"]');
          await page.waitForURL(/\/reports\/experiments\.html$/);
          expect(await page.locator('figure').count()).toBeGreaterThan(0);
          await page.goto(`${origin}/ui/experiments`);
          const text = await page.evaluate<string>('document.body.innerText');
          expect(text).toContain('<script>alert("x")</script>');
          expect(await page.evaluate<number>("document.querySelectorAll('script').length")).toBe(0);
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          expect(overflow, `/ui/experiments ${viewport.name} overflows by ${overflow}px`).toBeLessThanOrEqual(
            1,
          );
          await page.screenshot({
            path: `${ARTIFACTS}/ui-experiments-${viewport.name}-${scheme}.png`,
            fullPage: true,
          });
          expect(problems).toEqual([]);
          await page.close();
        }
      // A CRM key is for machines: it may not sign in.
      const crm = await t.keyFor('crm');
      const { page } = await open(
        `${origin}/ui/login`,
        { width: 1280, height: 900, scheme: 'light' },
        origin,
      );
      await page.fill('#key', crm);
      await page.click('button[type=submit]');
      expect(await page.locator('[role=alert]').innerText()).toContain('for machines');
      await page.close();
      // Without a session or key, reports are refused to API clients with problem+json.
      const res = await fetch(`${origin}/reports/drift.html`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const withKey = await fetch(`${origin}/reports/drift.html`, {
        headers: { authorization: `Bearer ${marketer}` },
      });
      expect(withKey.status).toBe(200);
      expect(withKey.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(
        (
          await fetch(`${origin}/reports/..%2F..%2Fpackage.json`, {
            headers: { authorization: `Bearer ${marketer}` },
          })
        ).status,
      ).toBe(404);
    } finally {
      await running.close();
    }
  }, 120_000);
});
