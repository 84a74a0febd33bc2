// The SQL of ingest, on postgres-js directly (the hot path): one statement per function, batched
// through JSON arrays, keys sorted so concurrent batches take row locks in the same order.
import type { Sql } from '../platform/db/client.js';
import type { ConsentCategories } from './consent.js';

import type postgres from 'postgres';

type Tx = Sql | postgres.TransactionSql;

const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const json = (v: unknown) => JSON.stringify(v);

export type ConsentState = { categories: ConsentCategories; at: Date };

export type Lookups = {
  planVersion: number | null;
  suppressed: Map<string, string>;
  links: Map<string, string>;
  users: Set<string>;
  /** Current consent of every person the batch's events can resolve to. */
  consent: Map<string, ConsentState>;
};

/**
 * Everything ingest needs to know before deciding, in one round trip. Each id of the batch is looked
 * up by primary key (`cross join lateral (… where key = id limit 1)`, which the planner cannot turn
 * back into a join): joined as a set, the lists made PostgreSQL hash whole tables, three or four of
 * them in a connection's first five calls (planned for their ids: 3.1 ms instead of 1.4 for 100
 * events at 20,000 people) and one in every later call. In steady state the two are within about a
 * tenth of each other (README, "Next best action"); what this buys is plans that do not grow with
 * the tables. A filter by `= any(…)` is no better: a prepared statement's generic plan may seq-scan
 * with the array as a filter. test/batch-lookup-plans.test.ts holds it.
 * An event resolves to `u:` + a userId of the batch, `a:` + an anonymousId of the batch, or `u:` +
 * the user an anonymousId is already linked to; consent states are fetched for all of those.
 * Each id list travels once and is read from its CTE.
 */
export async function lookUp(
  sql: Sql,
  sourceId: string,
  idHashes: string[],
  anonIds: string[],
  userIds: string[],
): Promise<
  Lookups & { source: { defaultConsent: Record<string, boolean> | null; trustReceivedAt: boolean } | null }
> {
  const [row] = await sql<
    {
      v: number | null;
      source: { default_consent: Record<string, boolean> | null; trust_received_at: boolean } | null;
      s: [string, string][];
      l: [string, string][];
      u: string[];
      c: [string, ConsentCategories, string][];
    }[]
  >`
    with anon as (select unnest(${anonIds}::text[]) as id),
      usr as (select unnest(${userIds}::text[]) as id),
      linked as (select x.anonymous_id, x.user_id from anon cross join lateral (
        select anonymous_id, user_id from cdp_identity_links where anonymous_id = anon.id limit 1) x),
      persons as (select 'u:' || id as id from usr union select 'a:' || id from anon union select 'u:' || user_id from linked)
    select (select max(version) from cdp_tracking_plans) as v,
      (select row_to_json(x) from (select default_consent, trust_received_at from cdp_sources where key_id = ${sourceId}) x) as source,
      (select coalesce(json_agg(json_build_array(x.id_value, x.erasure_id)), '[]') from unnest(${idHashes}::text[]) k(id) cross join lateral (
        select id_value, erasure_id from cdp_suppressions where id_value = k.id limit 1) x) as s,
      (select coalesce(json_agg(json_build_array(anonymous_id, user_id)), '[]') from linked) as l,
      (select coalesce(json_agg(x.user_id), '[]') from usr cross join lateral (
        select user_id from cdp_identity_users where user_id = usr.id limit 1) x) as u,
      (select coalesce(json_agg(json_build_array(st.person_id, st.categories, st.at)), '[]') from persons cross join lateral (
        select person_id, categories, at from cdp_consent_state where person_id = persons.id limit 1) st) as c`;
  return {
    planVersion: row?.v ?? null,
    source: row?.source
      ? { defaultConsent: row.source.default_consent, trustReceivedAt: row.source.trust_received_at }
      : null,
    suppressed: new Map(row?.s ?? []),
    links: new Map(row?.l ?? []),
    users: new Set(row?.u ?? []),
    consent: new Map(
      (row?.c ?? []).map(([person, categories, at]) => [person, { categories, at: new Date(at) }]),
    ),
  };
}

/**
 * Claim (source, messageId) pairs; returns the messageIds that were already claimed (duplicates).
 * Answering with the few refused rather than the many claimed keeps the reply small.
 */
export async function claimMessageIds(
  tx: Tx,
  sourceId: string,
  claims: { m: string; r: number }[],
): Promise<Set<string>> {
  if (!claims.length) return new Set();
  const rows = await tx<{ m: string }[]>`
    with wanted as (
      select x.m, x.r from jsonb_to_recordset(${json([...claims].sort(byKey((c) => c.m)))}::jsonb) as x(m text, r float8)
    ), claimed as (
      insert into cdp_event_ids (source_id, message_id, received_at)
      select ${sourceId}::uuid, m, to_timestamp(r / 1000) from wanted
      on conflict do nothing returning message_id
    )
    select m from wanted where m not in (select message_id from claimed)`;
  return new Set(rows.map((r) => r.m));
}

/** Times travel as epoch milliseconds: cheaper to write here and to read there than ISO text. */
export type EventRow = {
  m: string;
  t: string;
  ev: string | null;
  n: string | null;
  p: string | null;
  u: string | null;
  a: string | null;
  g: string | null;
  props: unknown;
  traits: unknown;
  ctx: unknown;
  integ: unknown;
  consent: unknown;
  ts: number;
  ra: number;
  sa: number | null;
  ot: number | null;
  ct: number | null;
  late: number;
};

export function insertEvents(tx: Tx, sourceId: string, rows: EventRow[]) {
  return tx`
    insert into cdp_events (source_id, message_id, type, event, name, person_id, user_id, anonymous_id, group_id, properties, traits, context, integrations, consent,
      "timestamp", received_at, sent_at, original_timestamp, client_timestamp, late_ms)
    select ${sourceId}::uuid, x.m, x.t, x.ev, x.n, x.p, x.u, x.a, x.g, x.props, x.traits, x.ctx, x.integ, x.consent,
      to_timestamp(x.ts / 1000), to_timestamp(x.ra / 1000), to_timestamp(x.sa / 1000), to_timestamp(x.ot / 1000), to_timestamp(x.ct / 1000), x.late
    from jsonb_to_recordset(${json(rows)}::jsonb) as x(m text, t text, ev text, n text, p text, u text, a text, g text, props jsonb, traits jsonb,
      ctx jsonb, integ jsonb, consent jsonb, ts float8, ra float8, sa float8, ot float8, ct float8, late bigint)`;
}

export function insertFailedEvents(
  tx: Tx,
  sourceId: string,
  planVersion: number,
  rows: {
    m: string;
    r: number;
    errors: unknown;
    name: string | null;
    u: string | null;
    a: string | null;
    payload: unknown;
  }[],
) {
  return tx`
    insert into cdp_failed_events (source_id, message_id, received_at, reason, errors, plan_version, event_name, user_id, anonymous_id, payload)
    select ${sourceId}::uuid, x.m, to_timestamp(x.r / 1000), 'tracking-plan-violation', x.errors, ${planVersion}, x.name, x.u, x.a, x.payload
    from jsonb_to_recordset(${json(rows)}::jsonb) as x(m text, r float8, errors jsonb, name text, u text, a text, payload jsonb)`;
}

export function insertIdentity(
  tx: Tx,
  users: string[],
  links: { anonymousId: string; userId: string; via: string }[],
  conflicts: {
    kind: string;
    anonymousId: string;
    existingUserId: string;
    newUserId: string;
    messageId: string;
  }[],
) {
  return [
    users.length &&
      tx`insert into cdp_identity_users (user_id) select unnest(${[...new Set(users)].sort()}::text[]) on conflict do nothing`,
    links.length &&
      tx`insert into cdp_identity_links (anonymous_id, user_id, via)
      select x."anonymousId", x."userId", x.via from jsonb_to_recordset(${json([...links].sort(byKey((l) => l.anonymousId)))}::jsonb) as x("anonymousId" text, "userId" text, via text)
      on conflict do nothing`,
    conflicts.length &&
      tx`insert into cdp_identity_conflicts (kind, anonymous_id, existing_user_id, new_user_id, message_id)
      select x.kind, x."anonymousId", x."existingUserId", x."newUserId", x."messageId" from jsonb_to_recordset(${json(conflicts)}::jsonb)
      as x(kind text, "anonymousId" text, "existingUserId" text, "newUserId" text, "messageId" text)`,
  ].filter((q) => q !== 0);
}

export function insertSuppressions(tx: Tx, rows: { idValue: string; erasureId: string }[]) {
  return tx`insert into cdp_suppressions (id_value, erasure_id)
    select x."idValue", x."erasureId" from jsonb_to_recordset(${json([...rows].sort(byKey((r) => r.idValue)))}::jsonb) as x("idValue" text, "erasureId" uuid)
    on conflict do nothing`;
}

export type LedgerRow = {
  personId: string;
  userId: string | null;
  anonymousId: string | null;
  categories: ConsentCategories;
  signal: unknown;
  origin: string;
  sourceId: string | null;
  at: string;
};

/** Append to the ledger and move each person's state to their latest change by event time, in one statement. */
export function recordConsentRows(tx: Tx, rows: LedgerRow[]) {
  return tx`
    with added as (
      insert into cdp_consent_ledger (person_id, user_id, anonymous_id, categories, signal, origin, source_id, at)
      select x."personId", x."userId", x."anonymousId", x.categories, x.signal, x.origin, x."sourceId", x.at
      from jsonb_to_recordset(${json([...rows].sort(byKey((r) => r.personId + r.at)))}::jsonb)
        as x("personId" text, "userId" text, "anonymousId" text, categories jsonb, signal jsonb, origin text, "sourceId" uuid, at timestamptz)
      returning id, person_id, categories, at
    ), latest as (
      select distinct on (person_id) person_id, categories, at, id from added order by person_id, at desc, id desc
    )
    insert into cdp_consent_state (person_id, categories, at, ledger_id)
    select person_id, categories, at, id from latest order by person_id
    on conflict (person_id) do update set categories = excluded.categories, at = excluded.at, ledger_id = excluded.ledger_id
      where cdp_consent_state.at <= excluded.at`;
}

/** Count rows per (day, source, key): a transaction bumps one shard, so concurrent requests of a source rarely wait for each other. */
export const COUNT_SHARDS = 16;

/** Adds a transaction's outcome and consent-less counts of one day to its shard (see tables.ts). */
export function bumpCounts(
  tx: Tx,
  sourceId: string,
  day: string,
  shard: number,
  outcomes: [string, number][],
  consentless: [string, number][],
) {
  return [
    outcomes.length &&
      tx`insert into cdp_ingest_counts (day, source_id, outcome, shard, count)
      select ${day}::date, ${sourceId}::uuid, x.o, ${shard}, x.n from jsonb_to_recordset(${json([...outcomes].sort(byKey(([o]) => o)).map(([o, n]) => ({ o, n })))}::jsonb) as x(o text, n int)
      on conflict (day, source_id, outcome, shard) do update set count = cdp_ingest_counts.count + excluded.count`,
    consentless.length &&
      tx`insert into cdp_consentless_counts (day, source_id, event_name, shard, count)
      select ${day}::date, ${sourceId}::uuid, x.name, ${shard}, x.n from jsonb_to_recordset(${json([...consentless].sort(byKey(([k]) => k)).map(([name, n]) => ({ name, n })))}::jsonb) as x(name text, n int)
      on conflict (day, source_id, event_name, shard) do update set count = cdp_consentless_counts.count + excluded.count`,
  ].filter((q) => q !== 0);
}
