// A small simulated world loaded through ingest, with its experiments and a drift history: the
// shared ground on which each report's own test renders it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll } from 'vitest';
import { writeWorld } from '../../src/sim/output.js';
import type { World } from '../../src/sim/world.js';
import { ensureWorldExperiments, loadDemoWorld } from '../../src/demo/load-world.js';
import { loadReportDefinitions } from '../../src/reports/registry.js';
import { renderReport } from '../../src/reports/render.js';
import type { ReportContext } from '../../src/reports/definition.js';
import { openTestServices, type TestContext } from './services.js';

export type ReportWorld = { t: TestContext; world: World; ctx: ReportContext; close: () => Promise<void> };

export async function openReportWorld(): Promise<ReportWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-report-world-'));
  const world = writeWorld({ seed: 21, customers: 300, days: 90 }, dir);
  const t = await openTestServices('server');
  await loadDemoWorld(t.services, dir);
  await ensureWorldExperiments(t.services, dir);
  await t.services.queue.registry.runInline('drift.monitors', { backfillWeeks: 2 }, t.services.log);
  return {
    t,
    world,
    ctx: { database: t.services.database, now: new Date() },
    close: async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The world for one test file: opened before its tests, closed after; read its parts inside tests. */
export function useReportWorld(): ReportWorld {
  let w: ReportWorld | undefined;
  beforeAll(async () => {
    w = await openReportWorld();
  });
  afterAll(async () => w?.close());
  const opened = () => {
    if (!w) throw new Error('the report world opens in beforeAll: read it inside a test');
    return w;
  };
  return {
    get t() {
      return opened().t;
    },
    get world() {
      return opened().world;
    },
    get ctx() {
      return opened().ctx;
    },
    close: () => opened().close(),
  };
}

/** The parts of linkedom's DOM these tests read (the project compiles without the DOM library). */
type El = { textContent: string | null; id: string; querySelectorAll: (selector: string) => ArrayLike<El> };
type Doc = El & { body: El };

/** Renders one report and parses it, for assertions on what a reader would see. */
export async function renderParsed(
  ctx: ReportContext,
  name: string,
  param: string | null = null,
): Promise<{ html: string; doc: Doc; text: string }> {
  const def = (await loadReportDefinitions()).find((d) => d.name === name);
  if (!def) throw new Error(`no report ${name}`);
  const { html } = await renderReport(ctx, def, param);
  const { document } = parseHTML(html) as unknown as { document: Doc };
  return { html, doc: document, text: document.body.textContent ?? '' };
}

/** The data table behind a figure, as rows of cell texts. */
export function figureRows(doc: Doc, id: string): string[][] {
  return Array.from(doc.querySelectorAll(`#${id} details tbody tr`)).map((r) =>
    Array.from(r.querySelectorAll('td')).map((c) => c.textContent ?? ''),
  );
}
