// Writes a world to a directory: events as NDJSON per source (in arrival order), media as CSV,
// experiments, offers and erasures as JSON, customers' true traits as CSV, and truth.json.
// Events are streamed through a small buffer, so memory stays flat however large the world.
import fs from 'node:fs';
import path from 'node:path';
import { SOURCES, type Delivery, type SourceName } from './wire.js';
import { CHANNELS } from './media.js';
import { generateWorld, type World, type WorldOptions } from './world.js';

/** Bytes gathered per file before a write: large enough to be fast, small enough to stay flat. */
const WRITE_BUFFER_BYTES = 1 << 20;

export const WORLD_FILES = {
  events: (s: SourceName) => `events/${s}.ndjson`,
  media: 'media.csv',
  customers: 'customers.csv',
  experiments: 'experiments.json',
  offers: 'offers.json',
  erasures: 'erasures.json',
  truth: 'truth.json',
} as const;

function csv(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

export function writeWorld(options: WorldOptions, outDir: string): World {
  fs.mkdirSync(path.join(outDir, 'events'), { recursive: true });
  const files = Object.fromEntries(
    SOURCES.map((s) => [
      s,
      { fd: fs.openSync(path.join(outDir, WORLD_FILES.events(s)), 'w'), chunks: [] as string[], bytes: 0 },
    ]),
  ) as Record<SourceName, { fd: number; chunks: string[]; bytes: number }>;
  const drain = (f: { fd: number; chunks: string[]; bytes: number }) => {
    if (f.chunks.length) fs.writeSync(f.fd, f.chunks.join(''));
    f.chunks = [];
    f.bytes = 0;
  };
  let world: World;
  try {
    world = generateWorld(options, {
      event(d: Delivery) {
        const f = files[d.source];
        const line = JSON.stringify(d.event) + '\n';
        f.chunks.push(line);
        f.bytes += line.length;
        if (f.bytes >= WRITE_BUFFER_BYTES) drain(f);
      },
    });
  } finally {
    for (const f of Object.values(files)) {
      drain(f);
      fs.closeSync(f.fd);
    }
  }
  const mediaRows = world.media.map((w) => ({
    week_start: w.weekStart,
    ...Object.fromEntries(CHANNELS.map((c) => [`spend_${c}`, w.spend[c]])),
    price_index: w.priceIndex,
    competitor_promo: w.competitorPromo,
    conversions: w.conversions,
    revenue: w.revenue,
  }));
  fs.writeFileSync(
    path.join(outDir, WORLD_FILES.media),
    csv(mediaRows, [
      'week_start',
      ...CHANNELS.map((c) => `spend_${c}`),
      'price_index',
      'competitor_promo',
      'conversions',
      'revenue',
    ]),
  );
  const customerColumns = Object.keys(world.customers[0] ?? { userId: '' });
  fs.writeFileSync(path.join(outDir, WORLD_FILES.customers), csv(world.customers, customerColumns));
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  fs.writeFileSync(
    path.join(outDir, WORLD_FILES.experiments),
    json(
      world.experiments.map(({ window: _w, lostExposureShare: _l, scenario: _s, ...e }) => ({
        ...e,
        variations: e.variations.map(({ trueConversionRate: _t, ...v }) => v),
        ...world.truth.experiments
          .filter((t) => t.key === e.key)
          .map((t) => ({ start: t.start, end: t.end }))[0],
      })),
    ),
  );
  fs.writeFileSync(path.join(outDir, WORLD_FILES.offers), json(world.offers.map(({ truth: _t, ...o }) => o)));
  fs.writeFileSync(path.join(outDir, WORLD_FILES.erasures), json(world.erasures));
  fs.writeFileSync(path.join(outDir, WORLD_FILES.truth), json(world.truth));
  return world;
}
