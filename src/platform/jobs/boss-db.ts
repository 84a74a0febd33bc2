// pg-boss talks to Attune's own postgres-js pool through this adapter, so jobs share the one
// connection discipline of the embedded engine and need no second pool on a server.
import type { Sql } from '../db/client.js';

type Rows = { rows: Record<string, unknown>[] };

/** pg serialises plain objects as JSON; postgres-js would send "[object Object]", so do it here. */
function toParam(v: unknown): unknown {
  if (v === undefined) return null;
  if (v === null || v instanceof Date || Buffer.isBuffer(v) || typeof v !== 'object') return v;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v;
  return JSON.stringify(v);
}

function isResultList(r: unknown): r is Record<string, unknown>[][] {
  return (
    Array.isArray(r) &&
    !('command' in r) &&
    r.length > 0 &&
    r.every((x) => Array.isArray(x) && 'command' in x)
  );
}

export function bossDb(sql: Sql): { executeSql: (text: string, values?: unknown[]) => Promise<Rows> } {
  return {
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        // Without parameters pg-boss may send several statements, BEGIN … COMMIT included (its
        // migrations and locks): simple protocol, on a reserved connection so the block stays whole.
        const reserved = await sql.reserve();
        let result: unknown;
        try {
          result = await reserved.unsafe(text).simple();
        } finally {
          reserved.release();
        }
        const rows = isResultList(result)
          ? (result[result.length - 1] ?? [])
          : (result as Record<string, unknown>[]);
        return { rows: [...rows] };
      }
      const rows = await sql.unsafe(text, values.map(toParam) as never[]);
      return { rows: [...rows] };
    },
  };
}
