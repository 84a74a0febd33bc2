// Imports NDJSON event files (one Segment-spec event per line, as Segment and RudderStack exports
// write them) through the same ingest path as POST /v1/batch, as one source: the same checks,
// consent rules, identity graph and messageId idempotency, so an import run twice stores once.
import type { Database } from '../platform/db/client.js';
import { emptyCounts, ingestBatch, type Outcome } from './ingest.js';

/** Events per ingest call: /v1/batch's usual size; memory stays flat whatever the file size. */
const IMPORT_BATCH = 500;

export type ImportProblem = {
  line: number;
  status: Outcome | 'malformed-json';
  code?: string;
  reason?: string;
};
export type ImportReport = {
  lines: number;
  outcomes: Record<Outcome | 'malformed-json', number>;
  problems: ImportProblem[];
  problemsOmitted: number;
};

/** The first problems are listed with their line numbers; the rest are only counted. */
const MAX_LISTED_PROBLEMS = 100;

export async function importEvents(
  database: Database,
  sourceKeyId: string,
  lines: AsyncIterable<string>,
  clock: () => Date,
  onProgress?: (linesRead: number) => void,
): Promise<ImportReport> {
  const report: ImportReport = {
    lines: 0,
    outcomes: { ...emptyCounts(), 'malformed-json': 0 },
    problems: [],
    problemsOmitted: 0,
  };
  const note = (p: ImportProblem) => {
    if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(p);
    else report.problemsOmitted++;
  };
  let batch: unknown[] = [];
  let lineOf: number[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const { results } = await ingestBatch(database, sourceKeyId, batch, {}, clock());
    for (const r of results) {
      report.outcomes[r.status]++;
      // A plan violation names what broke (path and rule) rather than the generic quarantine line.
      const reason = r.errors?.length ? r.errors.map((v) => `${v.path} ${v.message}`).join('; ') : r.reason;
      if (r.status === 'rejected' || r.status === 'quarantined')
        note({
          line: lineOf[r.index]!,
          status: r.status,
          ...(r.code ? { code: r.code } : {}),
          ...(reason ? { reason } : {}),
        });
    }
    batch = [];
    lineOf = [];
    onProgress?.(report.lines);
  };
  for await (const text of lines) {
    report.lines++;
    if (!text.trim()) continue;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (err) {
      report.outcomes['malformed-json']++;
      note({ line: report.lines, status: 'malformed-json', reason: (err as Error).message });
      continue;
    }
    batch.push(event);
    lineOf.push(report.lines);
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  await flush();
  return report;
}
