// `npm run bench -- <name> [args]`: runs one benchmark from scripts/bench/.
const BENCHES: Record<
  string,
  { summary: string; load: () => Promise<{ main: (args: string[]) => Promise<void> }> }
> = {
  api: {
    summary: 'authenticated request rate vs /healthz, embedded and server database',
    load: () => import('./api.js'),
  },
  experiments: {
    summary: 'experiment analysis at 1M/10M exposures vs a scan baseline; assignment throughput',
    load: () => import('./experiments.js'),
  },
  reports: {
    summary: 'render every report of the demo world (time, HTML size); 20 charts vs tables only',
    load: () => import('./reports.js'),
  },
  guardrails: {
    summary:
      'injection recall/FPR (held out) and PII precision/recall on public labelled sets; scan texts/s vs a keyword list',
    load: () => import('./guardrails.js'),
  },
  ingest: {
    summary: 'events/s through /v1/batch vs a raw COPY of the same rows (PostgreSQL server)',
    load: () => import('./ingest.js'),
  },
  mmm: {
    summary: 'NUTS fit of a 5-channel, 3-year weekly MMM per tfjs backend: wall time, R-hat, ESS/s',
    load: () => import('./mmm.js'),
  },
  propensity: {
    summary:
      'propensity candidates (wasm, cpu) vs scikit-learn on the same tables: AUC difference, fit-time ratio',
    load: () => import('./propensity.js'),
  },
  content: {
    summary:
      'retrieval recall@5/MRR@10 per branch on the labelled query set; p50/p99 at 100k chunks (HNSW vs real[]); offline generation time',
    load: () => import('./content.js'),
  },
  nba: {
    summary:
      'decisions/s and p50/p99 with 50 clients against `attune serve` (PostgreSQL) vs a bare Hono JSON endpoint',
    load: () => import('./nba.js'),
  },
  'nba-cpu': {
    summary: 'API CPU per decision in-process with the database answers canned, vs a bare Hono JSON endpoint',
    load: () => import('./nba-cpu.js'),
  },
  'nba-db': {
    summary:
      'database CPU per decision (decide() against PostgreSQL, 50 in flight) vs a plain insert of the same logged rows',
    load: () => import('./nba-db.js'),
  },
  'nba-log-keys': {
    summary: 'inserts into a grown decision log: random (v4) vs time-ordered (v7) UUID primary keys',
    load: () => import('./nba-log-keys.js'),
  },
  fuzz: {
    summary: 'the API fuzzer (every route in /openapi.json) with many more requests; lists each failure',
    load: () => import('./fuzz.js'),
  },
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stdout.write(
    `Usage: npm run bench -- <name>\n\n${Object.entries(BENCHES)
      .map(([n, b]) => `  ${n.padEnd(10)}${b.summary}`)
      .join('\n')}\n`,
  );
  process.exitCode = name ? 2 : 0;
} else {
  await (await bench.load()).main(args);
}
