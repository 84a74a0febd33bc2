import fs from 'node:fs';
import { createTestDatabase } from '../test/helpers/databases.js';
import { parseConfig } from '../src/platform/config.js';
import { openServices } from '../src/services.js';
import { createLogger } from '../src/platform/log.js';
import { insertEvents, type EventRow } from '../src/cdp/ingest-store.js';

const lines = fs.readFileSync('/tmp/mb/web100k.ndjson', 'utf8').split('\n').slice(0, 100_000).filter(Boolean);
const rows: EventRow[] = lines.map((l, i) => { const e = JSON.parse(l); return { m: e.messageId + i, t: e.type, ev: e.event ?? null, n: e.name ?? null, p: e.userId ? 'u:' + e.userId : 'a:' + e.anonymousId, u: e.userId ?? null, a: e.anonymousId ?? null, g: null, props: e.properties ?? null, traits: e.traits ?? null, ctx: e.context, integ: e.integrations ?? null, consent: { analytics: true, marketing: false, personalization: true, ads: false }, ts: e.originalTimestamp, ra: e.receivedAt, sa: e.sentAt, ot: e.originalTimestamp, ct: null, late: 0 }; });
import net from 'node:net';
if (process.env.NODELAY) { const orig = net.Socket.prototype.connect; (net.Socket.prototype as any).connect = function (this: net.Socket, ...a: any[]) { this.setNoDelay(true); return (orig as any).apply(this, a); }; }
const tdb = await createTestDatabase('server');
const config = parseConfig({ DATABASE_URL: (tdb.config.database as { url: string }).url, ATTUNE_WORKERS: 'off', LOG_LEVEL: 'silent' });
const services = await openServices(config, createLogger('silent'), { purpose: 'bench', supervise: false });

const sql = services.database.sql;
const src = '00000000-0000-0000-0000-000000000001';
const esc = (s: string) => s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
const t = (v: string | null) => (v === null ? '\\N' : esc(v));
const j = (v: unknown) => (v === null || v === undefined ? '\\N' : esc(JSON.stringify(v)));
async function run(name: string, f: (batch: EventRow[]) => Promise<unknown>) {
  const t0 = performance.now(); const c0 = process.cpuUsage();
  for (let i = 0; i < rows.length; i += 500) await f(rows.slice(i, i + 500));
  const c = process.cpuUsage(c0); const wall = performance.now() - t0;
  console.log(name, 'wall', wall.toFixed(0), 'node cpu', ((c.user + c.system) / 1000).toFixed(0), 'server≈', (wall - (c.user + c.system) / 1000).toFixed(0));
  await sql`truncate cdp_events`;
}
let tx: any;
await run('recordset', async (b) => sql.begin((t2) => insertEvents(t2, src, b)));
await run('copy', async (b) => sql.begin(async (t2) => {
  const w = await t2`copy cdp_events (source_id, message_id, type, event, name, person_id, user_id, anonymous_id, group_id, properties, traits, context, integrations, consent, "timestamp", received_at, sent_at, original_timestamp, client_timestamp, late_ms) from stdin`.writable();
  const text = b.map((r) => [src, t(r.m), r.t, t(r.ev), t(r.n), t(r.p), t(r.u), t(r.a), t(r.g), j(r.props), j(r.traits), j(r.ctx), j(r.integ), j(r.consent), r.ts, r.ra, t(r.sa), t(r.ot), t(r.ct), String(r.late)].join('\t')).join('\n') + '\n';
  await new Promise<void>((res, rej) => { w.on('error', rej); w.on('finish', res); w.end(text); });
}));
await run('recordset', async (b) => sql.begin((t2) => insertEvents(t2, src, b)));
await run('copy', async (b) => sql.begin(async (t2) => {
  const w = await t2`copy cdp_events (source_id, message_id, type, event, name, person_id, user_id, anonymous_id, group_id, properties, traits, context, integrations, consent, "timestamp", received_at, sent_at, original_timestamp, client_timestamp, late_ms) from stdin`.writable();
  const text = b.map((r) => [src, t(r.m), r.t, t(r.ev), t(r.n), t(r.p), t(r.u), t(r.a), t(r.g), j(r.props), j(r.traits), j(r.ctx), j(r.integ), j(r.consent), r.ts, r.ra, t(r.sa), t(r.ot), t(r.ct), String(r.late)].join('\t')).join('\n') + '\n';
  await new Promise<void>((res, rej) => { w.on('error', rej); w.on('finish', res); w.end(text); });
}));
await services.close(); await tdb.drop();
