// `attune sim` as a user runs it: the files it promises, byte-identical for the same seed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

function digestDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('attune sim', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-sim-'));
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('writes events, media, experiments, offers, erasures, customers and truth, identically for the same seed', async () => {
    const a = await runCli(
      ['sim', '--seed', '5', '--scale', 'small', '--out', path.join(base, 'a'), '--quiet'],
      {},
    );
    const b = await runCli(
      ['sim', '--seed', '5', '--scale', 'small', '--out', path.join(base, 'b'), '--quiet'],
      {},
    );
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/Wrote the small world \(seed 5\)/);
    const da = digestDir(path.join(base, 'a'));
    expect(Object.keys(da).sort()).toEqual([
      'customers.csv',
      'erasures.json',
      'events/app.ndjson',
      'events/email.ndjson',
      'events/web.ndjson',
      'experiments.json',
      'media.csv',
      'offers.json',
      'truth.json',
    ]);
    expect(digestDir(path.join(base, 'b'))).toEqual(da);

    const media = fs
      .readFileSync(path.join(base, 'a', 'media.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(media[0]).toBe(
      'week_start,spend_search,spend_social,spend_display,spend_video,spend_email,price_index,competitor_promo,conversions,revenue',
    );
    expect(media.length).toBe(105);
    // What the product sees must not give the truth away.
    const offers = JSON.parse(fs.readFileSync(path.join(base, 'a', 'offers.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    expect(offers.every((o) => !('truth' in o))).toBe(true);
    const experiments = JSON.parse(fs.readFileSync(path.join(base, 'a', 'experiments.json'), 'utf8')) as {
      variations: Record<string, unknown>[];
    }[];
    expect(experiments.flatMap((e) => e.variations).every((v) => !('trueConversionRate' in v))).toBe(true);
  });

  it('refuses a bad scale with a usage error', async () => {
    const r = await runCli(['sim', '--scale', 'huge', '--out', path.join(base, 'x')], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--scale must be one of small, demo, large');
  });
});
