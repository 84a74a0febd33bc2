// Personal data handling at ingest: the tracking plan says which identify traits and context
// fields are hashed (HMAC-SHA256 with this installation's secret) or dropped. Raw IP is never kept.
import crypto from 'node:crypto';
import type { TrackingPlan } from './tracking-plan.js';

/** Context fields dropped whatever the plan says. */
const ALWAYS_DROP = ['ip'];

export function hmac(secret: Buffer, value: string): string {
  return 'hmac:' + crypto.createHmac('sha256', secret).update(value.trim().toLowerCase()).digest('hex');
}

function applyTo(obj: Record<string, unknown>, key: string, action: 'hash' | 'drop', secret: Buffer): void {
  if (!(key in obj)) return;
  const v = obj[key];
  if (action === 'drop' || (typeof v !== 'string' && typeof v !== 'number')) delete obj[key];
  else obj[key] = hmac(secret, String(v));
}

export function protectTraits(
  plan: TrackingPlan,
  traits: Record<string, unknown> | null,
  secret: Buffer,
): Record<string, unknown> | null {
  if (!traits) return null;
  const out = { ...traits };
  for (const [k, spec] of Object.entries(plan.identify?.traits ?? {}))
    if (spec.pii) applyTo(out, k, spec.pii, secret);
  return out;
}

export function protectContext(
  plan: TrackingPlan,
  context: Record<string, unknown>,
  secret: Buffer,
): Record<string, unknown> {
  const out = { ...context };
  for (const k of ALWAYS_DROP) delete out[k];
  for (const [path, action] of Object.entries(plan.pii ?? {})) {
    const key = path.replace(/^context\./, '');
    if (!key.includes('.')) applyTo(out, key, action, secret);
  }
  return out;
}

/** A keyed hash of an identifier, exact (no case folding): suppression lists keep these, never raw ids. */
export function hashId(secret: Buffer, id: string): string {
  let memo = idHashes.get(secret);
  if (!memo) idHashes.set(secret, (memo = new Map<string, string>()));
  let h = memo.get(id);
  if (h === undefined) {
    if (memo.size >= ID_HASH_MEMO) memo.clear();
    h = crypto.createHmac('sha256', secret).update(`id:${id}`).digest('hex');
    memo.set(id, h);
  }
  return h;
}

/** The same people send event after event: their id hashes are remembered (per secret, bounded). */
const idHashes = new WeakMap<Buffer, Map<string, string>>();
const ID_HASH_MEMO = 100_000;
