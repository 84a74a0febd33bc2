// Data contracts: an event checked against the tracking plan. Pure.
import { z } from 'zod';

const PropertySpec = z.strictObject({
  type: z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object']),
  required: z.boolean().optional(),
  enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  pii: z.enum(['hash', 'drop']).optional(),
});

export const TrackingPlanSchema = z.strictObject({
  name: z.string().min(1).max(200),
  version: z.number().int().optional(),
  /** What happens to an event that breaks the plan: kept aside in failed_events (default) or refused. */
  onViolation: z.enum(['quarantine', 'reject']).default('quarantine'),
  /** Events whose name the plan does not list: allowed (default), or treated as violations. */
  unplannedEvents: z.enum(['allow', 'violation']).default('allow'),
  events: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(200),
        type: z.enum(['track', 'page', 'screen']),
        properties: z.record(z.string(), PropertySpec),
      }),
    )
    .max(2000),
  identify: z.strictObject({ traits: z.record(z.string(), PropertySpec) }).optional(),
  /** Dotted context paths and what to do with them, e.g. { "context.ip": "drop" }. */
  pii: z.record(z.string(), z.enum(['hash', 'drop'])).optional(),
});

export type TrackingPlan = z.infer<typeof TrackingPlanSchema>;
export type PlanViolation = { path: string; message: string };

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matches(type: string, v: unknown): boolean {
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

/** Violations of the plan by one event (empty when it conforms). Numbers sent as strings are violations, never coerced. */
export function checkAgainstPlan(
  plan: TrackingPlan,
  e: {
    type: string;
    event?: string | null;
    name?: string | null;
    properties?: Record<string, unknown> | null;
  },
): PlanViolation[] {
  const name =
    e.type === 'track' ? e.event : e.type === 'page' || e.type === 'screen' ? (e.name ?? null) : null;
  if (!name) return [];
  const spec = plan.events.find(
    (s) => s.name === name && (s.type === e.type || (s.type === 'page' && e.type === 'page')),
  );
  if (!spec) {
    return plan.unplannedEvents === 'violation' && e.type === 'track'
      ? [{ path: 'event', message: `"${name}" is not in the tracking plan` }]
      : [];
  }
  const props = e.properties ?? {};
  const out: PlanViolation[] = [];
  for (const [key, p] of Object.entries(spec.properties)) {
    const v = props[key];
    if (v === undefined || v === null) {
      if (p.required) out.push({ path: `properties.${key}`, message: `required by the plan for "${name}"` });
      continue;
    }
    if (!matches(p.type, v))
      out.push({
        path: `properties.${key}`,
        message: `must be ${p.type}, got ${typeOf(v)}${typeof v === 'string' ? ` ("${v.slice(0, 40)}")` : ''}`,
      });
    else if (p.enum && !p.enum.includes(v as string | number | boolean))
      out.push({
        path: `properties.${key}`,
        message: `must be one of ${p.enum.map((x) => JSON.stringify(x)).join(', ')}`,
      });
  }
  return out;
}
