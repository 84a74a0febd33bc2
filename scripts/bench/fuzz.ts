// The larger API fuzz run: the same fuzzer as test/api-fuzz.test.ts (test/helpers/fuzz/), with
// many more generated requests per operation, collecting every distinct failure instead of
// stopping at the first. Not a speed benchmark: it reports what it found, and exits 1 if anything.
// `npm run bench -- fuzz [embedded|server] [--runs N] [--seed S]`
import { parseArgs } from 'node:util';
import { openTestServices } from '../../test/helpers/services.js';
import type { DatabaseMode } from '../../test/helpers/databases.js';
import { fuzzApi } from '../../test/helpers/fuzz/run.js';
import { seedFuzzWorld } from '../../test/helpers/fuzz/world.js';

export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { runs: { type: 'string', default: '300' }, seed: { type: 'string', default: '17' } },
  });
  const modes = (positionals.length ? positionals : ['embedded', 'server']) as DatabaseMode[];
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  let failed = 0;
  for (const mode of modes) {
    const t = await openTestServices(mode, { env: { ATTUNE_WORKERS: 'off' } });
    const started = performance.now();
    try {
      await seedFuzzWorld(t);
      const report = await fuzzApi(t, {
        seed,
        runsPerOperation: runs,
        onFailure: 'collect',
        progress: (line) => process.stderr.write(`\r\x1b[K${mode}: ${line}`),
      });
      process.stderr.write('\r\x1b[K');
      const s = ((performance.now() - started) / 1000).toFixed(0);
      process.stdout.write(
        `${mode}: ${report.operations.length} operations, ${report.requests} requests (+ as many valid events) in ${s} s, seed ${seed}; ` +
          `answers ${JSON.stringify(report.statuses)}; excluded ${Object.keys(report.excluded).length}; ${report.failures.length} distinct failure(s)\n`,
      );
      for (const [op, statuses] of Object.entries(report.byOperation))
        process.stdout.write(`  ${op.padEnd(42)} ${JSON.stringify(statuses)}\n`);
      for (const f of report.failures) process.stdout.write(`  ${JSON.stringify(f)}\n`);
      failed += report.failures.length;
    } finally {
      await t.close();
    }
  }
  if (failed) process.exitCode = 1;
}
