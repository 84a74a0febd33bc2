// Ingest: a batch of raw events in, one outcome per event out. Everything an event changes (its
// row, its messageId claim, identity links, consent ledger, quarantine, counts) commits in one
// transaction, so an answer that says "accepted" means committed.
import type { Database } from '../platform/db/client.js';
import { idProblem } from '../platform/ids.js';
import { normalizeEvent, type BatchShared, type EventType, type NormalizedEvent } from './normalize.js';
import { CATEGORIES, NO_CONSENT, sameConsent, type ConsentCategories } from './consent.js';
import { checkAgainstPlan, type PlanViolation, type TrackingPlan } from './tracking-plan.js';
import { decideIdentity, personIdOf, type Conflict, type IdentityView } from './identity.js';
import { hashId, protectContext, protectTraits } from './pii.js';
import { getPiiSecret, getTrackingPlan } from './settings-store.js';
import {
  COUNT_SHARDS,
  bumpCounts,
  claimMessageIds,
  insertEvents,
  insertFailedEvents,
  insertIdentity,
  insertSuppressions,
  lookUp,
  recordConsentRows,
  type EventRow,
  type LedgerRow,
} from './ingest-store.js';

export const CONSENT_UPDATE_EVENT = 'Segment Consent Preference Updated';

export type Outcome =
  'accepted' | 'duplicate' | 'rejected' | 'quarantined' | 'suppressed' | 'consent-dropped';
export type EventResult = {
  index: number;
  messageId: string | null;
  status: Outcome;
  code?: string;
  reason?: string;
  errors?: PlanViolation[];
  late?: boolean;
};

export type IngestSummary = { results: EventResult[]; counts: Record<Outcome, number> };

type Candidate = {
  index: number;
  e: NormalizedEvent;
  raw: Record<string, unknown>;
  consent: ConsentCategories;
  personId: string | null;
  violations: PlanViolation[];
};

export const emptyCounts = (): Record<Outcome, number> => ({
  accepted: 0,
  duplicate: 0,
  rejected: 0,
  quarantined: 0,
  suppressed: 0,
  'consent-dropped': 0,
});

export type IngestOptions = {
  /** Re-ingesting quarantined events: their messageIds are already claimed, and they keep their arrival times. */
  replay?: Map<string, Date>;
};

export async function ingestBatch(
  database: Database,
  sourceId: string,
  raws: unknown[],
  shared: BatchShared,
  now: Date,
  forcedType?: EventType,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const { db, sql } = database;
  const secret = await getPiiSecret(db, database.url);

  // Ids first (cheap), so the one look-up round trip can carry them. Only ids that pass the id
  // rule go to the database: a NUL in one event's userId must not fail the whole batch's query
  // (normalizeEvent refuses that event below, by its reason).
  const prelim = raws.map((raw) =>
    raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null,
  );
  const isId = (x: unknown): x is string => idProblem(x) === null;
  const idsOf = (r: Record<string, unknown> | null) =>
    r ? [r.userId, r.anonymousId, r.previousId].filter(isId) : [];
  const allIds = [...new Set(prelim.flatMap(idsOf))];
  const hashOf = new Map(allIds.map((id) => [id, hashId(secret, id)]));
  const anonCandidates = [
    ...new Set(
      prelim.flatMap((r) =>
        r ? [r.anonymousId, r.type === 'alias' ? r.previousId : null].filter(isId) : [],
      ),
    ),
  ];
  const userCandidates = [
    ...new Set(prelim.flatMap((r) => (r ? [r.userId, r.previousId].filter(isId) : []))),
  ];
  const found = await lookUp(sql, sourceId, [...hashOf.values()], anonCandidates, userCandidates);
  const { plan, version: planVersion } = await getTrackingPlan(db, database.url, found.planVersion);
  const settings = {
    trustReceivedAt: found.source?.trustReceivedAt ?? false,
    defaultConsent: found.source?.defaultConsent
      ? (Object.fromEntries(
          CATEGORIES.map((c) => [c, found.source!.defaultConsent![c] === true]),
        ) as ConsentCategories)
      : null,
  };

  const results: EventResult[] = [];
  const ok: Candidate[] = [];
  const seenInBatch = new Set<string>();
  // Outcome counts go to the day each event was received (an import that keeps arrival times spreads over days).
  const receivedDay: string[] = [];
  const dayOf = dayFormatter();
  raws.forEach((raw, index) => {
    let receivedAt = now;
    const r0 = prelim[index];
    const replayedAt = options.replay && r0 ? options.replay.get(String(r0.messageId)) : undefined;
    if (replayedAt) receivedAt = replayedAt;
    else if (settings.trustReceivedAt && r0 && typeof r0.receivedAt === 'string') {
      const t = new Date(r0.receivedAt);
      if (!Number.isNaN(t.getTime()) && t.getTime() <= now.getTime()) receivedAt = t;
    }
    receivedDay[index] = dayOf(receivedAt.getTime());
    const r = normalizeEvent(raw, receivedAt, shared, forcedType);
    if (!r.ok) {
      results[index] = {
        index,
        messageId: r.messageId,
        status: 'rejected',
        code: r.rejection.code,
        reason: r.rejection.reason,
      };
      return;
    }
    if (seenInBatch.has(r.event.messageId)) {
      results[index] = { index, messageId: r.event.messageId, status: 'duplicate' };
      return;
    }
    seenInBatch.add(r.event.messageId);
    const consent = r.event.consent?.categories ?? settings.defaultConsent ?? NO_CONSENT;
    ok.push({
      index,
      e: r.event,
      raw: raw as Record<string, unknown>,
      consent,
      personId: null,
      violations: [],
    });
  });

  // Suppressed people (erased) are never stored again, under any of their ids; a new id seen with
  // a suppressed one (a new device of an erased person) is suppressed too.
  const byHash = found.suppressed;
  const suppressed = new Map(
    allIds.filter((id) => byHash.has(hashOf.get(id)!)).map((id) => [id, byHash.get(hashOf.get(id)!)!]),
  );
  const newlySuppressed = new Map<string, string>();
  const live: Candidate[] = [];
  for (const c of ok) {
    const ids = [c.e.userId, c.e.anonymousId, c.e.previousId].filter((x): x is string => !!x);
    const erasureId = ids.map((id) => suppressed.get(id)).find((x) => x !== undefined);
    if (erasureId) {
      for (const id of ids)
        if (!suppressed.has(id)) {
          newlySuppressed.set(id, erasureId);
          suppressed.set(id, erasureId);
        }
      results[c.index] = {
        index: c.index,
        messageId: c.e.messageId,
        status: 'suppressed',
        reason: 'this person asked for erasure; their events are not stored',
      };
    } else live.push(c);
  }

  // Identity: the links we know, then this batch's signals in order (only from consented events).
  const links = found.links;
  const users = found.users;
  const view: IdentityView = { linkOf: (a) => links.get(a), isKnownUser: (u) => users.has(u) };
  const newLinks: { anonymousId: string; userId: string; via: string }[] = [];
  const newUsers: string[] = [];
  const conflicts: (Conflict & { messageId: string })[] = [];
  for (const c of live) {
    if (c.consent.analytics) {
      const change = decideIdentity(view, {
        type: c.e.type,
        userId: c.e.userId,
        anonymousId: c.e.anonymousId,
        previousId: c.e.previousId,
      });
      for (const u of change.users) {
        users.add(u);
        newUsers.push(u);
      }
      for (const l of change.links) {
        links.set(l.anonymousId, l.userId);
        newLinks.push({ ...l, via: c.e.type });
      }
      for (const k of change.conflicts) conflicts.push({ ...k, messageId: c.e.messageId });
    }
    c.personId = personIdOf(c.e.userId, c.e.anonymousId, view.linkOf);
  }

  // Consent: every signal that changes a person's state goes to the ledger, consented or not.
  const signalled = live.filter((c) => c.e.consent && c.personId);
  const states = found.consent;
  const ledger: LedgerRow[] = [];
  for (const c of signalled) {
    const signal = c.e.consent!;
    const prev = states.get(c.personId!);
    const isUpdateEvent = c.e.type === 'track' && c.e.event === CONSENT_UPDATE_EVENT;
    if (prev && sameConsent(prev.categories, signal.categories) && !isUpdateEvent) continue;
    if (prev && prev.at > c.e.timestamp && !isUpdateEvent) continue; // an older signal arriving late does not undo a newer one
    states.set(c.personId!, { categories: signal.categories, at: c.e.timestamp });
    ledger.push({
      personId: c.personId!,
      userId: c.e.userId,
      anonymousId: c.e.anonymousId,
      categories: signal.categories,
      signal: signal.raw,
      origin: isUpdateEvent ? 'consent-event' : 'event',
      sourceId,
      at: c.e.timestamp.toISOString(),
    });
  }

  const storable: Candidate[] = [];
  const dropped = new Map<string, number>();
  for (const c of live) {
    if (!c.consent.analytics) {
      const name = c.e.type === 'track' ? (c.e.event ?? '') : c.e.type;
      const key = `${receivedDay[c.index]}|${name}`;
      dropped.set(key, (dropped.get(key) ?? 0) + 1);
      results[c.index] = {
        index: c.index,
        messageId: c.e.messageId,
        status: 'consent-dropped',
        reason: c.e.consent
          ? 'no analytics consent: counted anonymously, not stored'
          : 'no consent information: counted anonymously, not stored',
      };
      continue;
    }
    c.violations =
      c.e.type === 'track' && c.e.event === CONSENT_UPDATE_EVENT ? [] : checkAgainstPlan(plan, c.e);
    if (c.violations.length && plan.onViolation === 'reject') {
      results[c.index] = {
        index: c.index,
        messageId: c.e.messageId,
        status: 'rejected',
        code: 'tracking-plan-violation',
        reason: c.violations.map((v) => `${v.path} ${v.message}`).join('; '),
        errors: c.violations,
      };
      continue;
    }
    storable.push(c);
  }
  const eventRows = new Map(
    storable.filter((c) => c.violations.length === 0).map((c) => [c.e.messageId, toRow(c, plan, secret)]),
  );

  const counts = emptyCounts();
  const shard = Math.floor(Math.random() * COUNT_SHARDS);
  await withRetry(() =>
    sql.begin(async (tx) => {
      // Claim messageIds: the unique key decides, even against a concurrent copy of the same batch.
      const taken = await claimMessageIds(
        tx,
        sourceId,
        storable
          .filter((c) => !options.replay?.has(c.e.messageId))
          .map((c) => ({ m: c.e.messageId, r: c.e.receivedAt.getTime() })),
      );
      const fresh = storable.filter((c) => !taken.has(c.e.messageId));
      for (const c of storable)
        if (taken.has(c.e.messageId))
          results[c.index] = { index: c.index, messageId: c.e.messageId, status: 'duplicate' };
      const toStore = fresh.filter((c) => c.violations.length === 0);
      const toQuarantine = fresh.filter(
        (c) => c.violations.length > 0 && !options.replay?.has(c.e.messageId),
      );
      for (const c of fresh)
        if (c.violations.length > 0 && options.replay?.has(c.e.messageId))
          results[c.index] = {
            index: c.index,
            messageId: c.e.messageId,
            status: 'quarantined',
            code: 'tracking-plan-violation',
            reason: 'still breaks the tracking plan',
            errors: c.violations,
          };
      for (const c of toStore)
        results[c.index] = {
          index: c.index,
          messageId: c.e.messageId,
          status: 'accepted',
          ...(c.e.late ? { late: true } : {}),
        };
      for (const c of toQuarantine)
        results[c.index] = {
          index: c.index,
          messageId: c.e.messageId,
          status: 'quarantined',
          code: 'tracking-plan-violation',
          reason: 'kept aside in failed events until the tracking plan or the event is fixed',
          errors: c.violations,
        };
      const freshIds = new Set(fresh.map((c) => c.e.messageId));
      counts.accepted =
        counts.duplicate =
        counts.rejected =
        counts.quarantined =
        counts.suppressed =
        counts['consent-dropped'] =
          0;
      const perDay = new Map<string, { outcomes: Map<string, number>; consentless: [string, number][] }>();
      const dayEntry = (d: string) =>
        perDay.get(d) ?? perDay.set(d, { outcomes: new Map(), consentless: [] }).get(d)!;
      for (const r of results) {
        counts[r.status]++;
        const o = dayEntry(receivedDay[r.index] ?? now.toISOString().slice(0, 10)).outcomes;
        o.set(r.status, (o.get(r.status) ?? 0) + 1);
      }
      for (const [key, n] of dropped) {
        const [d, name] = [key.slice(0, 10), key.slice(11)];
        dayEntry(d).consentless.push([name, n]);
      }
      // The rest does not depend on each other: send it pipelined on the transaction's connection.
      await Promise.all([
        toStore.length
          ? insertEvents(
              tx,
              sourceId,
              toStore.map((c) => eventRows.get(c.e.messageId)!),
            )
          : null,
        toQuarantine.length
          ? insertFailedEvents(
              tx,
              sourceId,
              planVersion,
              toQuarantine.map((c) => ({
                m: c.e.messageId,
                r: c.e.receivedAt.getTime(),
                errors: c.violations,
                name: c.e.event ?? c.e.name,
                u: c.e.userId,
                a: c.e.anonymousId,
                payload: c.raw,
              })),
            )
          : null,
        ...insertIdentity(
          tx,
          newUsers,
          newLinks,
          conflicts.filter((k) => freshIds.has(k.messageId)),
        ),
        newlySuppressed.size
          ? insertSuppressions(
              tx,
              [...newlySuppressed].map(([id, erasureId]) => ({ idValue: hashId(secret, id), erasureId })),
            )
          : null,
        ledger.length ? recordConsentRows(tx, ledger) : null,
        ...[...perDay]
          .sort(([a], [b]) => a.localeCompare(b))
          .flatMap(([d, x]) => bumpCounts(tx, sourceId, d, shard, [...x.outcomes], x.consentless)),
      ]);
    }),
  );
  return { results, counts };
}

function toRow(c: Candidate, plan: TrackingPlan, secret: Buffer): EventRow {
  const { e, consent, personId } = c;
  return {
    m: e.messageId,
    t: e.type,
    ev: e.event,
    n: e.name,
    p: personId,
    u: e.userId,
    a: e.anonymousId,
    g: e.groupId,
    props: e.properties,
    traits: protectTraits(plan, e.traits, secret),
    ctx: protectContext(plan, e.context, secret),
    integ: e.integrations,
    consent,
    ts: e.timestamp.getTime(),
    ra: e.receivedAt.getTime(),
    sa: e.sentAt?.getTime() ?? null,
    ot: e.originalTimestamp?.getTime() ?? null,
    ct: e.clientTimestamp?.getTime() ?? null,
    late: e.lateMs,
  };
}

/** UTC day (YYYY-MM-DD) of epoch milliseconds, formatted once per distinct day of a batch. */
function dayFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  return (ms) => {
    const d = Math.floor(ms / 86_400_000);
    let s = days.get(d);
    if (s === undefined) days.set(d, (s = new Date(d * 86_400_000).toISOString().slice(0, 10)));
    return s;
  };
}

/** Deadlock and serialization failures are transient: the whole transaction runs again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code =
        (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
    }
  }
}
