// Reports are discovered, not registered: every `reports/<name>.ts` (not tests, not `_helpers.ts`)
// whose default export is a report definition. Adding a report is adding one file.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromRoot } from '../platform/paths.js';
import type { ReportDefinition } from './definition.js';

export const REPORTS_DIR = fromRoot('reports');

export async function loadReportDefinitions(dir = REPORTS_DIR): Promise<ReportDefinition[]> {
  const files = fs
    .readdirSync(dir)
    .filter(
      (f) =>
        /\.(ts|js)$/.test(f) && !/\.test\.(ts|js)$/.test(f) && !f.startsWith('_') && !f.endsWith('.d.ts'),
    )
    .sort();
  const defs: ReportDefinition[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: ReportDefinition };
    if (!mod.default?.name || typeof mod.default.render !== 'function')
      throw new Error(`reports/${f} must export default defineReport({...})`);
    defs.push(mod.default);
  }
  const names = defs.map((d) => d.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two reports are named "${twice}"`);
  return defs;
}
