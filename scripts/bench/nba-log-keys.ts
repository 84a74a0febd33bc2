// The decision log's primary key: random (version 4) UUIDs, as the service makes them, against
// time-ordered (version 7, uuid7.ts) on a log that has grown. Two tables of the same shape on the
// PostgreSQL server, each filled to `--rows` in 1,000-row statements, then `--measure` more rows
// inserted into each, alternating in chunks; reports the seconds per million rows and the primary
// key's size. A random key writes into any leaf page of the index, a time-ordered one only into the
// rightmost: once the index outgrows the cache, every random insert can cost a page read.
//
//   npm run bench -- nba-log-keys [--rows 3000000] [--measure 2000000]
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { uuidv7 } from './uuid7.js';
import { createTestDatabase } from '../../test/helpers/databases.js';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '3000000' },
      measure: { type: 'string', default: '2000000' },
    },
  });
  const rows = Number(values.rows);
  const measure = Number(values.measure);
  // Rows go in 1,000 a statement, and the measured ones in alternating chunks of 100,000.
  if (!(Number.isInteger(rows / 1000) && rows >= 0)) throw new Error('--rows must be a multiple of 1,000');
  if (!(Number.isInteger(measure / 100_000) && measure > 0))
    throw new Error('--measure must be a positive multiple of 100,000');
  const tdb = await createTestDatabase('server');
  const sql = postgres((tdb.config.database as { url: string }).url, { max: 1, onnotice: () => undefined });
  try {
    for (const t of ['log_v4', 'log_v7'])
      await sql.unsafe(`create table ${t} (id uuid primary key, person_id text not null,
        decided_at timestamptz not null, candidates jsonb not null)`);
    // Rows of about the log's width (the candidates as a decision answers them, shortened), their ids
    // made here (crypto.randomUUID, as the service does, or uuidv7).
    const insert = (table: 'log_v4' | 'log_v7', from: number) => {
      const ids = Array.from({ length: 1000 }, (_, g) =>
        table === 'log_v4' ? crypto.randomUUID() : uuidv7(Date.UTC(2026, 0, 1) + from + g),
      );
      return sql`insert into ${sql(table)}
        select id, 'u:bench-' || (g % 20000), now(),
          jsonb_build_array(jsonb_build_object('actionId', 'offer-' || (g % 6), 'probability', random(), 'pad', repeat('x', 150)))
        from unnest(${ids}::uuid[]) with ordinality u(id, g)`;
    };
    let filled = 0;
    const started = performance.now();
    while (filled < rows) {
      await insert('log_v4', filled);
      await insert('log_v7', filled);
      filled += 1000;
      if (filled % 500_000 === 0)
        process.stdout.write(
          `  filled ${filled.toLocaleString('en-US')} rows each (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
        );
    }
    await sql`checkpoint`;
    const spent = { log_v4: 0, log_v7: 0 };
    // Alternating chunks of 100 statements, so a swing in the machine's speed falls on both.
    for (let done = 0; done < measure; done += 100_000) {
      for (const t of ['log_v4', 'log_v7'] as const) {
        const t0 = performance.now();
        for (let k = 0; k < 100; k++) await insert(t, rows + done + k * 1000);
        spent[t] += performance.now() - t0;
      }
    }
    const [size] = await sql<{ v4: string; v7: string }[]>`
      select pg_size_pretty(pg_relation_size('log_v4_pkey')) as v4, pg_size_pretty(pg_relation_size('log_v7_pkey')) as v7`;
    const perMillion = (ms: number) => ((ms / measure) * 1000).toFixed(1);
    process.stdout.write(
      `Inserting ${measure.toLocaleString('en-US')} more rows into logs of ${rows.toLocaleString('en-US')} (1,000-row statements, PostgreSQL server):\n` +
        `  version 4 (random) keys       ${perMillion(spent.log_v4)} s per million rows; primary key ${size!.v4}\n` +
        `  version 7 (time-ordered) keys ${perMillion(spent.log_v7)} s per million rows; primary key ${size!.v7}\n` +
        `  ratio ${(spent.log_v7 / spent.log_v4).toFixed(2)} of the random keys' time\n`,
    );
  } finally {
    await sql.end();
    await tdb.drop();
  }
}
