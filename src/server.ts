// Runs the service: HTTP API and, where configured, the workers and the scheduler.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Services } from './services.js';
import { createApi } from './api.js';
import { startScheduler } from './platform/jobs/schedules.js';

export type Running = { url: string; close: () => Promise<void> };

/** Start workers and the scheduler tick in this process. */
export async function startWorkers(services: Services): Promise<() => Promise<void>> {
  await services.queue.startWorkers(services.config.jobConcurrency);
  return startScheduler(
    services.database.db,
    services.queue,
    services.log.child({ domain: 'scheduler' }),
    15_000,
    services.clock,
  );
}

export function workersWanted(services: Services): boolean {
  const { workers } = services.config;
  return workers === 'on' || (workers === 'auto' && services.database.mode === 'embedded');
}

export async function startServer(services: Services): Promise<Running> {
  const app = createApi(services);
  const stopWorkers = workersWanted(services) ? await startWorkers(services) : null;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: services.config.port, hostname: services.config.host }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  services.database.announce({ httpUrl: url });
  services.log.info(
    { url, database: services.database.mode, workers: Boolean(stopWorkers) },
    'attune is serving',
  );
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (stopWorkers) await stopWorkers();
    },
  };
}
