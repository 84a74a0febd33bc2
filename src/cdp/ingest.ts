// Ingest: a batch of raw events in, one outcome per event out. Everything an event changes (its
// row, its messageId claim, identity links, consent ledger, quarantine, counts) commits in one
// transaction, so an answer that says "accepted" means committed.
import { inArray, sql as dsql } from 'drizzle-orm';
import type { Database } from '../platform/db/client.js';
import { normalizeEvent, type BatchShared, type EventType, type NormalizedEvent } from './normalize.js';
import { NO_CONSENT, sameConsent, type ConsentCategories } from './consent.js';
import { checkAgainstPlan, type PlanViolation } from './tracking-plan.js';
import { decideIdentity, personIdOf, type Conflict, type IdentityView } from './identity.js';
import { hashId, protectContext, protectTraits } from './pii.js';
import { getPiiSecret, getSourceSettings, getTrackingPlan } from './settings-store.js';
import { currentConsent, recordConsent, type LedgerEntry } from './consent-store.js';
import { identityLinks, identityUsers, suppressions } from './tables.js';

export const CONSENT_UPDATE_EVENT = 'Segment Consent Preference Updated';

export type Outcome = 'accepted' | 'duplicate' | 'rejected' | 'quarantined' | 'suppressed' | 'consent-dropped';
export type EventResult = { index: number; messageId: string | null; status: Outcome; code?: string; reason?: string; errors?: PlanViolation[]; late?: boolean };

export type IngestSummary = { results: EventResult[]; counts: Record<Outcome, number> };

type Candidate = { index: number; e: NormalizedEvent; raw: Record<string, unknown>; consent: ConsentCategories; personId: string | null; violations: PlanViolation[] };

const emptyCounts = (): Record<Outcome, number> => ({ accepted: 0, duplicate: 0, rejected: 0, quarantined: 0, suppressed: 0, 'consent-dropped': 0 });

export type IngestOptions = {
  /** Re-ingesting quarantined events: their messageIds are already claimed, and they keep their arrival times. */
  replay?: Map<string, Date>;
};

export async function ingestBatch(database: Database, sourceId: string, raws: unknown[], shared: BatchShared, now: Date, forcedType?: EventType, options: IngestOptions = {}): Promise<IngestSummary> {
  const { db } = database;
  const [settings, { version: planVersion, plan }, secret] = await Promise.all([
    getSourceSettings(db, sourceId), getTrackingPlan(db, database.url), getPiiSecret(db, database.url),
  ]);
  const results: EventResult[] = [];
  const ok: Candidate[] = [];
  const seenInBatch = new Set<string>();

  raws.forEach((raw, index) => {
    let receivedAt = now;
    const replayedAt = options.replay && raw && typeof raw === 'object' ? options.replay.get(String((raw as { messageId?: unknown }).messageId)) : undefined;
    if (replayedAt) receivedAt = replayedAt;
    else if (settings.trustReceivedAt && raw && typeof raw === 'object' && typeof (raw as { receivedAt?: unknown }).receivedAt === 'string') {
      const t = new Date((raw as { receivedAt: string }).receivedAt);
      if (!Number.isNaN(t.getTime()) && t.getTime() <= now.getTime()) receivedAt = t;
    }
    const r = normalizeEvent(raw, receivedAt, shared, forcedType);
    if (!r.ok) {
      results[index] = { index, messageId: r.messageId, status: 'rejected', code: r.rejection.code, reason: r.rejection.reason };
      return;
    }
    if (seenInBatch.has(r.event.messageId)) {
      results[index] = { index, messageId: r.event.messageId, status: 'duplicate' };
      return;
    }
    seenInBatch.add(r.event.messageId);
    const consent = r.event.consent?.categories ?? settings.defaultConsent ?? NO_CONSENT;
    ok.push({ index, e: r.event, raw: raw as Record<string, unknown>, consent, personId: null, violations: [] });
  });

  // Suppressed people (erased) are never stored again, under any of their ids.
  const allIds = [...new Set(ok.flatMap(({ e }) => [e.userId, e.anonymousId, e.previousId].filter((x): x is string => !!x)))];
  const hashOf = new Map(allIds.map((id) => [id, hashId(secret, id)]));
  const byHash = new Map((allIds.length ? await db.select({ h: suppressions.idValue, erasureId: suppressions.erasureId }).from(suppressions).where(inArray(suppressions.idValue, [...hashOf.values()])) : []).map((r) => [r.h, r.erasureId]));
  const suppressed = new Map(allIds.filter((id) => byHash.has(hashOf.get(id)!)).map((id) => [id, byHash.get(hashOf.get(id)!)!]));
  // New ids seen with a suppressed one (a new device of an erased person) are suppressed too.
  const newlySuppressed = new Map<string, string>();
  const live: Candidate[] = [];
  for (const c of ok) {
    const ids = [c.e.userId, c.e.anonymousId, c.e.previousId].filter((x): x is string => !!x);
    const erasureId = ids.map((id) => suppressed.get(id)).find((x) => x !== undefined);
    if (erasureId) {
      for (const id of ids) if (!suppressed.has(id)) { newlySuppressed.set(id, erasureId); suppressed.set(id, erasureId); }
      results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'suppressed', reason: 'this person asked for erasure; their events are not stored' };
    } else live.push(c);
  }

  // Identity: the links we know, then this batch's signals in order (only from consented events).
  const anonIds = [...new Set(live.flatMap(({ e }) => [e.anonymousId, e.type === 'alias' ? e.previousId : null].filter((x): x is string => !!x)))];
  const userIds = [...new Set(live.flatMap(({ e }) => [e.userId, e.previousId].filter((x): x is string => !!x)))];
  const links = new Map((anonIds.length ? await db.select().from(identityLinks).where(inArray(identityLinks.anonymousId, anonIds)) : []).map((l) => [l.anonymousId, l.userId]));
  const users = new Set((userIds.length ? await db.select().from(identityUsers).where(inArray(identityUsers.userId, userIds)) : []).map((u) => u.userId));
  const view: IdentityView = { linkOf: (a) => links.get(a), isKnownUser: (u) => users.has(u) };
  const newLinks: { anonymousId: string; userId: string; via: string }[] = [];
  const newUsers: string[] = [];
  const conflicts: (Conflict & { messageId: string })[] = [];
  for (const c of live) {
    if (c.consent.analytics) {
      const change = decideIdentity(view, { type: c.e.type, userId: c.e.userId, anonymousId: c.e.anonymousId, previousId: c.e.previousId });
      for (const u of change.users) { users.add(u); newUsers.push(u); }
      for (const l of change.links) { links.set(l.anonymousId, l.userId); newLinks.push({ ...l, via: c.e.type }); }
      for (const k of change.conflicts) conflicts.push({ ...k, messageId: c.e.messageId });
    }
    c.personId = personIdOf(c.e.userId, c.e.anonymousId, view.linkOf);
  }

  // Consent: every signal that changes a person's state goes to the ledger, consented or not.
  const states = await currentConsent(db, [...new Set(live.map((c) => c.personId).filter((p): p is string => !!p))]);
  const ledger: LedgerEntry[] = [];
  for (const c of live) {
    const signal = c.e.consent;
    if (!signal || !c.personId) continue;
    const prev = states.get(c.personId);
    const isUpdateEvent = c.e.type === 'track' && c.e.event === CONSENT_UPDATE_EVENT;
    if (prev && sameConsent(prev.categories, signal.categories) && !isUpdateEvent) continue;
    if (prev && prev.at > c.e.timestamp && !isUpdateEvent) continue; // an older signal arriving late does not undo a newer one
    states.set(c.personId, { categories: signal.categories, at: c.e.timestamp });
    ledger.push({ personId: c.personId, userId: c.e.userId, anonymousId: c.e.anonymousId, categories: signal.categories, signal: signal.raw, origin: isUpdateEvent ? 'consent-event' : 'event', sourceId, at: c.e.timestamp });
  }

  const storable: Candidate[] = [];
  const dropped: Candidate[] = [];
  for (const c of live) {
    if (!c.consent.analytics) {
      dropped.push(c);
      results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'consent-dropped', reason: c.e.consent ? 'no analytics consent: counted anonymously, not stored' : 'no consent information: counted anonymously, not stored' };
      continue;
    }
    c.violations = c.e.type === 'track' && c.e.event === CONSENT_UPDATE_EVENT ? [] : checkAgainstPlan(plan, c.e);
    if (c.violations.length && plan.onViolation === 'reject') {
      results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'rejected', code: 'tracking-plan-violation', reason: c.violations.map((v) => `${v.path} ${v.message}`).join('; '), errors: c.violations };
      continue;
    }
    storable.push(c);
  }

  const counts = emptyCounts();
  await db.transaction(async (tx) => {
    // Claim messageIds: the unique key decides, even against a concurrent copy of the same batch.
    const claimed = new Set<string>(storable.filter((c) => options.replay?.has(c.e.messageId)).map((c) => c.e.messageId));
    const toClaim = storable.filter((c) => !claimed.has(c.e.messageId));
    if (toClaim.length) {
      const rows = await tx.execute<{ message_id: string }>(dsql`
        insert into cdp_event_ids (source_id, message_id, received_at)
        select ${sourceId}::uuid, x.m, x.r from jsonb_to_recordset(${JSON.stringify(toClaim.map((c) => ({ m: c.e.messageId, r: c.e.receivedAt.toISOString() })))}::jsonb) as x(m text, r timestamptz)
        on conflict do nothing returning message_id`);
      for (const r of rows) claimed.add(r.message_id);
    }
    const fresh = storable.filter((c) => claimed.has(c.e.messageId));
    for (const c of storable) if (!claimed.has(c.e.messageId)) results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'duplicate' };
    const toStore = fresh.filter((c) => c.violations.length === 0);
    const toQuarantine = fresh.filter((c) => c.violations.length > 0 && !options.replay?.has(c.e.messageId));
    for (const c of fresh) if (c.violations.length > 0 && options.replay?.has(c.e.messageId)) results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'quarantined', code: 'tracking-plan-violation', reason: 'still breaks the tracking plan', errors: c.violations };
    if (toStore.length) await insertEvents(tx, sourceId, toStore, plan, secret);
    for (const c of toStore) results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'accepted', ...(c.e.late ? { late: true } : {}) };
    if (toQuarantine.length) {
      await tx.execute(dsql`
        insert into cdp_failed_events (source_id, message_id, received_at, reason, errors, plan_version, event_name, user_id, anonymous_id, payload)
        select ${sourceId}::uuid, x.m, x.r, 'tracking-plan-violation', x.errors, ${planVersion}, x.name, x.u, x.a, x.payload
        from jsonb_to_recordset(${JSON.stringify(toQuarantine.map((c) => ({ m: c.e.messageId, r: c.e.receivedAt.toISOString(), errors: c.violations, name: c.e.event ?? c.e.name, u: c.e.userId, a: c.e.anonymousId, payload: c.raw })))}::jsonb)
          as x(m text, r timestamptz, errors jsonb, name text, u text, a text, payload jsonb)`);
      for (const c of toQuarantine) results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'quarantined', code: 'tracking-plan-violation', reason: 'kept aside in failed events until the tracking plan or the event is fixed', errors: c.violations };
    }
    // Identity changes from events that were actually stored now (not duplicates).
    const freshIds = new Set(fresh.map((c) => c.e.messageId));
    if (newUsers.length) await tx.insert(identityUsers).values([...new Set(newUsers)].map((userId) => ({ userId }))).onConflictDoNothing();
    if (newLinks.length) await tx.insert(identityLinks).values(newLinks).onConflictDoNothing();
    const freshConflicts = conflicts.filter((k) => freshIds.has(k.messageId));
    if (freshConflicts.length) {
      await tx.execute(dsql`insert into cdp_identity_conflicts (kind, anonymous_id, existing_user_id, new_user_id, message_id)
        select x.kind, x."anonymousId", x."existingUserId", x."newUserId", x."messageId" from jsonb_to_recordset(${JSON.stringify(freshConflicts)}::jsonb)
        as x(kind text, "anonymousId" text, "existingUserId" text, "newUserId" text, "messageId" text)`);
    }
    if (newlySuppressed.size) {
      await tx.insert(suppressions).values([...newlySuppressed].map(([id, erasureId]) => ({ idValue: hashId(secret, id), erasureId }))).onConflictDoNothing();
    }
    if (ledger.length) await recordConsent(tx, ledger);
    for (const r of results) counts[r.status]++;
    await bumpCounts(tx, sourceId, now, counts, dropped);
  });
  return { results, counts };
}

type Tx = Parameters<Parameters<Database['db']['transaction']>[0]>[0];

async function insertEvents(tx: Tx, sourceId: string, cs: Candidate[], plan: Parameters<typeof protectTraits>[0], secret: Buffer): Promise<void> {
  const rows = cs.map(({ e, consent, personId }) => ({
    m: e.messageId, t: e.type, ev: e.event, n: e.name, p: personId, u: e.userId, a: e.anonymousId, g: e.groupId,
    props: e.properties, traits: protectTraits(plan, e.traits, secret), ctx: protectContext(plan, e.context, secret), integ: e.integrations, consent,
    ts: e.timestamp.toISOString(), ra: e.receivedAt.toISOString(), sa: e.sentAt?.toISOString() ?? null, ot: e.originalTimestamp?.toISOString() ?? null,
    ct: e.clientTimestamp?.toISOString() ?? null, late: e.lateMs,
  }));
  await tx.execute(dsql`
    insert into cdp_events (source_id, message_id, type, event, name, person_id, user_id, anonymous_id, group_id, properties, traits, context, integrations, consent,
      "timestamp", received_at, sent_at, original_timestamp, client_timestamp, late_ms)
    select ${sourceId}::uuid, x.m, x.t, x.ev, x.n, x.p, x.u, x.a, x.g, x.props, x.traits, x.ctx, x.integ, x.consent, x.ts, x.ra, x.sa, x.ot, x.ct, x.late
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(m text, t text, ev text, n text, p text, u text, a text, g text, props jsonb, traits jsonb,
      ctx jsonb, integ jsonb, consent jsonb, ts timestamptz, ra timestamptz, sa timestamptz, ot timestamptz, ct timestamptz, late bigint)`);
}

async function bumpCounts(tx: Tx, sourceId: string, now: Date, counts: Record<Outcome, number>, dropped: Candidate[]): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const outcomes = Object.entries(counts).filter(([, n]) => n > 0);
  if (outcomes.length) {
    await tx.execute(dsql`insert into cdp_ingest_counts (day, source_id, outcome, count)
      select ${day}::date, ${sourceId}::uuid, x.o, x.n from jsonb_to_recordset(${JSON.stringify(outcomes.map(([o, n]) => ({ o, n })))}::jsonb) as x(o text, n int)
      on conflict (day, source_id, outcome) do update set count = cdp_ingest_counts.count + excluded.count`);
  }
  if (dropped.length) {
    const byName = new Map<string, number>();
    for (const c of dropped) {
      const name = c.e.type === 'track' ? (c.e.event ?? '') : c.e.type;
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    await tx.execute(dsql`insert into cdp_consentless_counts (day, source_id, event_name, count)
      select ${day}::date, ${sourceId}::uuid, x.name, x.n from jsonb_to_recordset(${JSON.stringify([...byName].map(([name, n]) => ({ name, n })))}::jsonb) as x(name text, n int)
      on conflict (day, source_id, event_name) do update set count = cdp_consentless_counts.count + excluded.count`);
  }
}
