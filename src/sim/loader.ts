// Sends a simulated world through the real ingest path: events of all sources in arrival order,
// in batches, with each erasure request carried out at its time. Streams the NDJSON files, so a
// world of any size loads in flat memory.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { SOURCES, type SourceName } from './wire.js';
import { WORLD_FILES } from './output.js';

/** Events per batch: well under the 2,500-event and 500 KB limits for the simulator's events. */
const BATCH_EVENTS = 400;

export type LoadTarget = {
  sendBatch: (source: SourceName, events: Record<string, unknown>[]) => Promise<Record<string, number>>;
  erase: (userId: string) => Promise<void>;
};

export type LoadReport = {
  events: number;
  batches: number;
  erasures: number;
  outcomes: Record<string, number>;
};

type Cursor = {
  source: SourceName;
  lines: AsyncIterator<string>;
  head: { at: number; event: Record<string, unknown> } | null;
};

async function advance(c: Cursor): Promise<void> {
  for (;;) {
    const next = await c.lines.next();
    if (next.done) {
      c.head = null;
      return;
    }
    if (!next.value.trim()) continue;
    const event = JSON.parse(next.value) as Record<string, unknown>;
    c.head = { at: Date.parse(String(event.receivedAt)), event };
    return;
  }
}

export async function loadWorld(
  dir: string,
  target: LoadTarget,
  onProgress?: (events: number) => void,
): Promise<LoadReport> {
  const erasures = (
    JSON.parse(fs.readFileSync(path.join(dir, WORLD_FILES.erasures), 'utf8')) as {
      userId: string;
      requestedAt: string;
    }[]
  )
    .map((e) => ({ ...e, at: Date.parse(e.requestedAt) }))
    .sort((a, b) => a.at - b.at);
  const cursors: Cursor[] = [];
  for (const source of SOURCES) {
    const rl = readline.createInterface({
      input: fs.createReadStream(path.join(dir, WORLD_FILES.events(source)), 'utf8'),
      crlfDelay: Infinity,
    });
    const c: Cursor = { source, lines: rl[Symbol.asyncIterator](), head: null };
    await advance(c);
    cursors.push(c);
  }
  const pending = new Map<SourceName, Record<string, unknown>[]>(SOURCES.map((s) => [s, []]));
  const report: LoadReport = { events: 0, batches: 0, erasures: 0, outcomes: {} };
  const flush = async (source: SourceName) => {
    const batch = pending.get(source)!;
    if (!batch.length) return;
    pending.set(source, []);
    const outcomes = await target.sendBatch(source, batch);
    for (const [k, v] of Object.entries(outcomes)) report.outcomes[k] = (report.outcomes[k] ?? 0) + v;
    report.batches++;
    report.events += batch.length;
    onProgress?.(report.events);
  };
  let e = 0;
  for (;;) {
    let next: Cursor | null = null;
    for (const c of cursors) if (c.head && (!next || c.head.at < next.head!.at)) next = c;
    // Erasures due before the next event: everything earlier is sent first, then the erasure runs.
    while (e < erasures.length && (!next || erasures[e]!.at <= next.head!.at)) {
      for (const s of SOURCES) await flush(s);
      await target.erase(erasures[e]!.userId);
      report.erasures++;
      e++;
    }
    if (!next) break;
    const batch = pending.get(next.source)!;
    batch.push(next.head!.event);
    if (batch.length >= BATCH_EVENTS) await flush(next.source);
    await advance(next);
  }
  for (const s of SOURCES) await flush(s);
  return report;
}
