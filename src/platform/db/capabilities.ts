// What this database can do. Only pgvector is optional today: without it content retrieval runs
// on its exact, slower path (no HNSW index), and everything else works the same.
import type { Sql } from './client.js';

export type Capability = { available: boolean; reason: string };
export type Capabilities = { vector: Capability };

export async function detectCapabilities(sql: Sql): Promise<Capabilities> {
  const installed = await sql<
    { v: string }[]
  >`select extversion as v from pg_extension where extname = 'vector'`;
  if (installed[0]) return { vector: { available: true, reason: `pgvector ${installed[0].v} is installed` } };
  const offered = await sql`select 1 from pg_available_extensions where name = 'vector'`;
  if (offered.length === 0) {
    return {
      vector: {
        available: false,
        reason:
          'the pgvector extension is not installed on this PostgreSQL server; install it (e.g. the postgresql-XX-pgvector package) and restart Attune to give content retrieval its HNSW index',
      },
    };
  }
  try {
    await sql`create extension if not exists vector`;
    return detectCapabilities(sql);
  } catch (err) {
    return {
      vector: {
        available: false,
        reason: `pgvector is available but could not be enabled (${(err as Error).message}); run "create extension vector" as a superuser`,
      },
    };
  }
}
