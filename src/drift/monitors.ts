// Scheduled drift monitors. Each reads two samples with SQL (capped, deterministic samples), compares
// them column by column and stores the result:
//   features            event-level features of the ingested data, current window vs reference window
//   experiment-traffic  each experiment's arm mix among new exposures, late in its run vs earlier
//   experiment-balance  each experiment's pre-exposure covariates, every treatment arm vs the control
import { desc, and, eq } from 'drizzle-orm';
import type { Database } from '../platform/db/client.js';
import { NotFoundError } from '../platform/errors.js';
import type { Experiment } from '../experiments/definition.js';
import { consentedPersons } from '../cdp/consent-store.js';
import { compareColumn, type ColumnDrift, type Samples } from './compare.js';
import { driftChecks } from './tables.js';

export const MONITORS = ['features', 'experiment-traffic', 'experiment-balance'] as const;
export type Monitor = (typeof MONITORS)[number];

/** Rows per sample: enough for every test here, small enough to hold in memory. */
export const SAMPLE_CAP = 20_000;
const DAY = 86_400_000;

type Window = { from: Date; to: Date };
export type CheckResult = {
  columns: ColumnDrift[];
  skipped: { column: string; reason: string }[];
  referenceRows: number;
  currentRows: number;
};

/** Compares the columns both samples have values for; the others are listed with the reason. */
export function compareAvailable(reference: Samples, current: Samples): CheckResult {
  const columns: ColumnDrift[] = [];
  const skipped: CheckResult['skipped'] = [];
  for (const name of Object.keys(reference)) {
    const has = (s: Samples) => (s[name] ?? []).some((v) => v !== null && v !== undefined && v !== '');
    if (!has(reference) || !has(current)) {
      skipped.push({
        column: name,
        reason: `no values in the ${has(reference) ? 'current' : 'reference'} sample`,
      });
      continue;
    }
    columns.push(compareColumn(name, reference[name]!, current[name]!));
  }
  const rows = (s: Samples) => Object.values(s)[0]?.length ?? 0;
  return { columns, skipped, referenceRows: rows(reference), currentRows: rows(current) };
}

function toSamples(rows: Record<string, unknown>[], names: string[]): Samples {
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] as string | number | null)]));
}

const FEATURE_COLUMNS = [
  'event_name',
  'product_category',
  'price',
  'order_revenue',
  'device',
  'source_library',
];

/** Events of the window from people whose analytics consent stands now: a withdrawal applies to every later check. */
async function featureSample(database: Database, w: Window): Promise<Samples> {
  const rows = await database.sql`
    select coalesce(event, name, type) as event_name,
      case when event = 'Product Viewed' then properties ->> 'category' end as product_category,
      case when event = 'Product Viewed' and jsonb_typeof(properties -> 'price') = 'number' then (properties ->> 'price')::float8 end as price,
      case when event = 'Order Completed' and jsonb_typeof(properties -> 'revenue') = 'number' then (properties ->> 'revenue')::float8 end as order_revenue,
      context -> 'device' ->> 'type' as device,
      context -> 'library' ->> 'name' as source_library
    from cdp_events
    where "timestamp" >= ${w.from.toISOString()}::timestamptz and "timestamp" < ${w.to.toISOString()}::timestamptz
      and person_id in (${consentedPersons(database.sql, 'analytics')})
    order by md5(id::text) limit ${SAMPLE_CAP}`;
  return toSamples(rows, FEATURE_COLUMNS);
}

/** One row per exposed unit (first exposure in the window), with the covariates known before it. */
async function exposureSample(
  database: Database,
  e: Experiment,
  w: Window,
  variation: string | null,
): Promise<Samples> {
  const rows = await database.sql`
    with firsts as (
      select distinct on (person_id) person_id, "timestamp" as first_at, properties ->> 'variation_id' as variation,
             context -> 'device' ->> 'type' as device, context -> 'library' ->> 'name' as source_library
      from cdp_events
      where event = ${e.exposureEvent} and properties ->> 'experiment_id' = ${e.key} and person_id is not null
        and person_id in (${consentedPersons(database.sql, e.purpose)})
      order by person_id, "timestamp"
    )
    select f.variation, f.device, f.source_library,
      (select count(*) from cdp_events o where o.person_id = f.person_id and o.event = 'Order Completed'
         and o."timestamp" >= f.first_at - interval '28 days' and o."timestamp" < f.first_at)::float8 as prior_orders_28d
    from firsts f
    where f.first_at >= ${w.from.toISOString()}::timestamptz and f.first_at < ${w.to.toISOString()}::timestamptz and (${variation}::text is null or f.variation = ${variation})
    order by md5(f.person_id) limit ${SAMPLE_CAP}`;
  return toSamples(
    rows,
    variation === null ? ['variation'] : ['device', 'source_library', 'prior_orders_28d'],
  );
}

export type CheckPlan = {
  monitor: Monitor;
  subject: string;
  window: { reference: Window; current: Window };
  run: () => Promise<CheckResult>;
};

/** Every check due at `asOf` for these experiments: windows are [asOf − current, asOf) against the reference days before. */
export function plannedChecks(
  database: Database,
  experiments: Experiment[],
  asOf: Date,
  currentDays: number,
  referenceDays: number,
): CheckPlan[] {
  const current = { from: new Date(asOf.getTime() - currentDays * DAY), to: asOf };
  const reference = { from: new Date(current.from.getTime() - referenceDays * DAY), to: current.from };
  const plans: CheckPlan[] = [
    {
      monitor: 'features',
      subject: 'events',
      window: { reference, current },
      run: async () =>
        compareAvailable(await featureSample(database, reference), await featureSample(database, current)),
    },
  ];
  for (const e of experiments) {
    const start = e.startAt ?? new Date(e.phases[0]!.startAt);
    const end = e.stopAt && e.stopAt < asOf ? e.stopAt : asOf;
    if (end <= start || start > asOf) continue;
    // Late in the run vs everything before it; a run shorter than two windows is split in half.
    const split = new Date(
      Math.max(start.getTime() + (end.getTime() - start.getTime()) / 2, end.getTime() - currentDays * DAY),
    );
    const late = { from: split, to: end };
    const early = { from: start, to: split };
    plans.push({
      monitor: 'experiment-traffic',
      subject: e.key,
      window: { reference: early, current: late },
      run: async () =>
        compareAvailable(
          await exposureSample(database, e, early, null),
          await exposureSample(database, e, late, null),
        ),
    });
    const whole = { from: start, to: end };
    for (const v of e.variations.slice(1)) {
      plans.push({
        monitor: 'experiment-balance',
        subject: `${e.key}:${v.id}`,
        window: { reference: whole, current: whole },
        run: async () =>
          compareAvailable(
            await exposureSample(database, e, whole, e.variations[0]!.id),
            await exposureSample(database, e, whole, v.id),
          ),
      });
    }
  }
  return plans;
}

export async function storeCheck(
  database: Database,
  plan: CheckPlan,
  result: CheckResult,
  checkedAt: Date,
): Promise<string> {
  const iso = (w: Window): [string, string] => [w.from.toISOString(), w.to.toISOString()];
  const [row] = await database.db
    .insert(driftChecks)
    .values({
      monitor: plan.monitor,
      subject: plan.subject,
      checkedAt,
      window: { reference: iso(plan.window.reference), current: iso(plan.window.current) },
      columns: result.columns.length,
      drifted: result.columns.filter((c) => c.drift).length,
      result,
    })
    .returning({ id: driftChecks.id });
  return row!.id;
}

/** The data's own clock: the newest event, or now when there is none (a demo world ends in the past). */
export async function latestEventTime(database: Database, now: Date): Promise<Date> {
  const [row] = await database.sql<
    { at: string | null }[]
  >`select max("timestamp") as at from cdp_events where "timestamp" <= ${now.toISOString()}::timestamptz`;
  return row?.at ? new Date(row.at) : now;
}

export async function listChecks(
  database: Database,
  filter: { monitor?: string | undefined; subject?: string | undefined; limit: number },
) {
  const where = and(
    ...[
      filter.monitor ? eq(driftChecks.monitor, filter.monitor) : undefined,
      filter.subject ? eq(driftChecks.subject, filter.subject) : undefined,
    ].filter((x) => x !== undefined),
  );
  return database.db
    .select()
    .from(driftChecks)
    .where(where)
    .orderBy(desc(driftChecks.checkedAt), driftChecks.monitor, driftChecks.subject)
    .limit(filter.limit);
}

export async function getCheck(database: Database, id: string) {
  const [row] = await database.db.select().from(driftChecks).where(eq(driftChecks.id, id));
  if (!row) throw new NotFoundError(`Drift check ${id}`);
  return row;
}
