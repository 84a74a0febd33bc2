// A real maintenance job: refresh planner statistics table by table, reporting progress.
import { z } from 'zod';
import type { JobDefinition } from '../jobs/registry.js';
import type { Sql } from './client.js';

const AnalyzeData = z.strictObject({
  tables: z
    .array(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case table name'))
    .max(200)
    .optional(),
});

export function analyzeJob(sql: Sql): JobDefinition<z.infer<typeof AnalyzeData>> {
  return {
    type: 'db.analyze',
    description: 'Refresh PostgreSQL planner statistics (ANALYZE) for Attune’s tables, one at a time.',
    data: AnalyzeData,
    retryLimit: 2,
    handler: async ({ data, progress }) => {
      const rows = await sql<
        { name: string }[]
      >`select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
      const known = new Set(rows.map((r) => r.name));
      const tables = data.tables ?? [...known];
      const missing = tables.filter((t) => !known.has(t));
      if (missing.length) throw new Error(`No such table(s): ${missing.join(', ')}`);
      for (const [i, t] of tables.entries()) {
        await progress(i / tables.length, `analyzing ${t}`);
        await sql.unsafe(`analyze "${t}"`);
      }
      await progress(1, 'done');
      return { analyzed: tables.length, tables };
    },
  };
}
