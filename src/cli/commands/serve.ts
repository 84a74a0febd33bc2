import type { Command } from '../command.js';
import { cliConfig } from '../context.js';
import { createLogger } from '../../platform/log.js';
import { openServices } from '../../services.js';
import { startServer, startWorkers } from '../../server.js';

/** Keep running until SIGINT/SIGTERM, then close in order. */
export function untilSignal(close: () => Promise<void>, log: { info: (m: string) => void }): Promise<number> {
  return new Promise((resolve) => {
    let closing = false;
    const stop = (signal: string) => {
      if (closing) return;
      closing = true;
      log.info(`${signal} received, shutting down`);
      close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the HTTP API (and, on the embedded database, the workers) until stopped.',
  usage: 'serve [--port N] [--host H]',
  help: 'Configuration comes from the environment (see README). Workers run in this process when ATTUNE_WORKERS=on, or =auto on the embedded database.',
  flags: {
    port: { type: 'string', description: 'listen port (PORT)' },
    host: { type: 'string', description: 'listen address (HOST)' },
  },
  async run({ values }) {
    const config = cliConfig({
      PORT: values.port as string | undefined,
      HOST: values.host as string | undefined,
    });
    const log = createLogger(config.logLevel);
    const services = await openServices(config, log, { purpose: 'attune serve', supervise: true });
    try {
      const running = await startServer(services);
      process.stderr.write(
        `Attune is serving on ${running.url} (${services.database.mode} database${services.database.mode === 'embedded' ? ` in ${config.dataDir}; wire protocol at ${services.database.displayUrl}` : ''}).\n`,
      );
      return await untilSignal(async () => {
        await running.close();
        await services.close();
      }, log);
    } catch (err) {
      await services.close();
      throw err;
    }
  },
};

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run job workers and the schedule tick only (no HTTP), until stopped.',
  usage: 'worker',
  help: 'Run as many as you like, on as many machines as you like, against one DATABASE_URL.',
  flags: {},
  async run() {
    const config = cliConfig();
    const log = createLogger(config.logLevel);
    const services = await openServices(config, log, { purpose: 'attune worker', supervise: true });
    const stop = await startWorkers(services);
    log.info(
      { types: services.queue.registry.list().map((d) => d.type), concurrency: config.jobConcurrency },
      'worker started',
    );
    return untilSignal(async () => {
      await stop();
      await services.close();
    }, log);
  },
};
