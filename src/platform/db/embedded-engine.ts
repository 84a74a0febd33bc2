// The embedded engine: PGlite (Postgres in WASM) with pgvector, served on a loopback port by
// pglite-socket. This process talks to it over that socket on a single connection (client.ts), so
// both database modes share one driver; psql can connect to the same port to look around.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Enough for the API pool, pg-boss's pool and a few CLI or psql clients at once. */
const MAX_SOCKET_CONNECTIONS = 64;

export type EmbeddedEngine = { port: number; url: string; stop: () => Promise<void> };

/** dataDir 'memory://' gives a throwaway in-memory database (tests). */
export async function startEmbeddedEngine(dataDir: string, port: number): Promise<EmbeddedEngine> {
  const pgDir = dataDir === 'memory://' ? undefined : path.join(dataDir, 'pg');
  const pglite = await PGlite.create({ ...(pgDir ? { dataDir: pgDir } : {}), extensions: { vector } });
  const server = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port,
    maxConnections: MAX_SOCKET_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (err) {
    await pglite.close();
    throw new Error(
      `Could not serve the embedded database on 127.0.0.1:${port}: ${(err as Error).message}. Set ATTUNE_EMBEDDED_PG_PORT to a free port, or 0 for any.`,
      { cause: err },
    );
  }
  const actual = boundPort(server) ?? port;
  return {
    port: actual,
    url: `postgres://postgres@127.0.0.1:${actual}/postgres`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}

function boundPort(server: PGLiteSocketServer): number | null {
  // pglite-socket keeps its net.Server private; getServerConn() returns "host:port".
  const conn = server.getServerConn();
  const m = /:(\d+)$/.exec(conn);
  return m ? Number(m[1]) : null;
}
