// Report rendering: every report of a loaded simulated world (default: the demo world, 10,000
// customers over a year), with per-report time and HTML size; and one synthetic report of 20 charts
// against a baseline in the same run: the same 20 data sets rendered as tables only (no Plot).
//   npm run bench -- reports [--scale demo|small]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Plot from '@observablehq/plot';
import { parseConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { openServices } from '../../src/services.js';
import { writeWorld } from '../../src/sim/output.js';
import type { Scale } from '../../src/sim/world.js';
import { ensureWorldExperiments, loadDemoWorld } from '../../src/demo/load-world.js';
import { renderReports } from '../../src/reports/render.js';
import { ReportDocument } from '../../src/reports/document.js';
import { renderPage } from '../../src/reports/page.js';
import { createTestDatabase } from '../../test/helpers/databases.js';

const say = (s: string) => process.stdout.write(s + '\n');

function twentyCharts(withCharts: boolean): string {
  const doc = new ReportDocument();
  for (let k = 0; k < 20; k++) {
    const data = Array.from({ length: 200 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000),
      value: Math.sin(i / 10 + k) * 100 + k,
      group: `series ${i % 3}`,
    }));
    const columns = [
      { label: 'Date', value: (d: (typeof data)[number]) => d.date },
      { label: 'Group', value: (d: (typeof data)[number]) => d.group },
      { label: 'Value', value: (d: (typeof data)[number]) => d.value },
    ];
    if (withCharts) {
      doc.figure({
        id: `chart-${k}`,
        caption: `Chart ${k}`,
        description: '200 points in three series',
        data,
        columns,
        plot: ({ plot }) =>
          plot({
            height: 220,
            x: { type: 'utc' },
            color: { legend: true },
            marks: [Plot.lineY(data, { x: 'date', y: 'value', stroke: 'group' }), Plot.ruleY([0])],
          }),
      });
    } else doc.table(`Chart ${k}`, data, columns);
  }
  return renderPage({
    title: 'bench',
    generator: 'bench',
    body: doc.blocks,
    provenance: { asOf: new Date().toISOString(), window: null, params: {}, models: [], sources: [] },
  });
}

function timeIt(fn: () => unknown, runs = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { scale: { type: 'string' } } });
  const scale = (values.scale ?? 'demo') as Scale;
  say('Report rendering benchmark');
  const charts = timeIt(() => twentyCharts(true));
  const tables = timeIt(() => twentyCharts(false));
  say(
    `  a report of 20 charts (200 points each): ${charts.toFixed(0)} ms (median of 5); the same data as tables only: ${tables.toFixed(0)} ms; ratio ${(charts / tables).toFixed(2)}`,
  );

  const worldDir = path.resolve('.attune', 'bench', `world-${scale}-seed1`);
  if (!fs.existsSync(path.join(worldDir, 'truth.json'))) {
    say(`  generating the ${scale} world into ${worldDir} (once) …`);
    writeWorld({ seed: 1, scale }, worldDir);
  }
  const tdb = await createTestDatabase('server', { ATTUNE_WORKERS: 'off' });
  const config = parseConfig({
    DATABASE_URL: (tdb.config.database as { url: string }).url,
    ATTUNE_WORKERS: 'off',
    LOG_LEVEL: 'silent',
  });
  const services = await openServices(config, createLogger('silent'), { purpose: 'bench', supervise: false });
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-bench-reports-'));
  try {
    let t0 = performance.now();
    await loadDemoWorld(services, worldDir, (n) =>
      process.stdout.write(
        `\r  loading the ${scale} world through ingest: ${n.toLocaleString('en-US')} events`,
      ),
    );
    process.stdout.write('\n');
    await ensureWorldExperiments(services, worldDir);
    await services.queue.registry.runInline('drift.monitors', { backfillWeeks: 12 }, services.log);
    say(
      `  loaded, defined the experiments and ran 13 weeks of drift checks in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    t0 = performance.now();
    const results = await renderReports({ database: services.database, now: new Date() }, { outDir });
    const total = performance.now() - t0;
    for (const r of results)
      say(
        `  ${r.file.padEnd(40)} ${r.status.padEnd(6)} ${String(r.figures).padStart(2)} figures ${(r.bytes / 1024).toFixed(0).padStart(5)} KiB ${r.ms.toFixed(0).padStart(6)} ms`,
      );
    say(
      `  all ${results.length} reports of the ${scale} world (queries + analysis + rendering): ${(total / 1000).toFixed(1)} s`,
    );
  } finally {
    await services.close();
    await tdb.drop();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
