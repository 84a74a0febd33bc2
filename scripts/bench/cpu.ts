// CPU time of the processes a benchmark drives, from /proc (Linux): throughput on a shared
// machine is noisy, CPU spent per unit of work much less so, and it says where the time goes.
import fs from 'node:fs';
import type { Sql } from '../../src/platform/db/client.js';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux build that matters). */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds of a process so far, or null where /proc cannot tell. */
export function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds of every backend serving the given database, by pid (with `clients`, only the
 * backends of client connections: no autovacuum worker).
 */
export async function backendCpuMs(sql: Sql, clients = false): Promise<Map<number, number>> {
  const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and (not ${clients} or backend_type = 'client backend')`;
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

/** CPU the backends spent between two snapshots; a backend that started in between counts whole. */
export function backendCpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
