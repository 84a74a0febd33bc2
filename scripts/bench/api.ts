// API request rate: an authenticated route (key lookup in the database) against /healthz (no
// database) in the same run, on the embedded engine and on the PostgreSQL server.
import { parseConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { openServices } from '../../src/services.js';
import { startServer } from '../../src/server.js';
import { createKey } from '../../src/platform/auth/store.js';
import { createTestDatabase, type DatabaseMode } from '../../test/helpers/databases.js';

const DURATION_MS = 5_000;
const CONCURRENCY = 16;

async function load(
  url: string,
  headers: Record<string, string>,
): Promise<{ rps: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const until = performance.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rps: latencies.length / (DURATION_MS / 1000), p50: q(0.5), p99: q(0.99) };
}

export async function main(args: string[]): Promise<void> {
  const modes = (args.length ? args : ['embedded', 'server']) as DatabaseMode[];
  process.stdout.write(
    `API benchmark: ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s per route\n`,
  );
  for (const mode of modes) {
    const tdb = await createTestDatabase(mode, { PORT: '0', ATTUNE_WORKERS: 'off' });
    const config = parseConfig({
      ...(tdb.config.database.mode === 'server'
        ? { DATABASE_URL: tdb.config.database.url }
        : { ATTUNE_DATA_DIR: 'memory://' }),
      PORT: '0',
      ATTUNE_WORKERS: 'off',
      LOG_LEVEL: 'silent',
    });
    const services = await openServices(config, createLogger('silent'), {
      purpose: 'bench',
      supervise: false,
    });
    const { key } = await createKey(services.database.db, {
      name: 'bench',
      role: 'admin',
      createdBy: 'bench',
    });
    const running = await startServer(services);
    try {
      const base = await load(`${running.url}/healthz`, {});
      const me = await load(`${running.url}/v1/me`, { authorization: `Bearer ${key}` });
      process.stdout.write(
        `${mode.padEnd(9)} /healthz ${base.rps.toFixed(0).padStart(6)} req/s (p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms)   ` +
          `/v1/me ${me.rps.toFixed(0).padStart(6)} req/s (p50 ${me.p50.toFixed(1)} ms, p99 ${me.p99.toFixed(1)} ms)   ratio ${(me.rps / base.rps).toFixed(2)}\n`,
      );
    } finally {
      await running.close();
      await services.close();
      await tdb.drop();
    }
  }
}
