// What a decision knows about a person, kept per process so that a decision costs one database round
// trip: consent, the profile built from the materialised features, the recent sends, and (shared by
// everyone) today's counters of the scopes with a limit. The cache is only a guess: nba_decide
// (sql/0015) compares the guess's token with the person's current consent and features before it
// commits, and answers with the fresh state when they differ, so a change of consent still counts
// from the next decision in every process. Caps and budgets are checked by the commit itself.
import { toNamed, toVector, type RawFeatures } from '../features/index.js';
import type { PersonState, Send, Usage } from './arbitrate.js';

/** How long a process reuses a person's state: it bounds memory and sends logged by other processes. */
export const PERSON_TTL_MS = 60_000;
/** At most this many people are kept per process (the oldest go first). */
export const PERSON_CACHE_MAX = 20_000;

/** nba_decide's answer when the caller's token is missing or stale. */
export type StateAnswer = {
  token: string;
  consent: Record<string, boolean> | null;
  raw: RawFeatures | null;
  asOf: string | null;
  /** [action, channel, decided at in epoch ms] of the served decisions since the request's `since`. */
  sends: [string, string, number][];
  /** [scope, key, sends, spend] of today's counters. */
  usage: [string, string, number, number][];
};

export type KnownPerson = {
  token: string;
  consent: PersonState['consent'];
  profile: PersonState['profile'];
  sends: Send[];
  loadedAt: number;
};

/** The person as a decision needs them, from nba_decide's state answer. */
export function toKnownPerson(s: StateAnswer, now: number): KnownPerson {
  const consent = s.consent ?? {};
  const personalization = consent.personalization === true;
  // Stored events (and so features) may be used only while analytics consent stands.
  const usable = personalization && consent.analytics === true && s.raw && s.asOf;
  const profile = personalization ? (usable ? toNamed(toVector(s.raw!, new Date(s.asOf!))) : {}) : null;
  return {
    token: s.token,
    consent: { personalization, marketing: consent.marketing === true },
    profile,
    sends: s.sends.map(([actionId, channel, at]) => ({ actionId, channel, at })),
    loadedAt: now,
  };
}

type Entry = { day: string; usage: Map<string, Usage> };

/** Per process (and database): people by person id, and today's counters. */
export class PersonCache {
  private readonly people = new Map<string, KnownPerson>();
  private today: Entry = { day: '', usage: new Map() };

  get(personId: string, now: number): KnownPerson | undefined {
    const p = this.people.get(personId);
    if (!p) return undefined;
    if (now - p.loadedAt >= PERSON_TTL_MS || now < p.loadedAt) {
      this.people.delete(personId);
      return undefined;
    }
    return p;
  }

  set(personId: string, person: KnownPerson): void {
    this.people.delete(personId);
    this.people.set(personId, person);
    if (this.people.size > PERSON_CACHE_MAX) this.people.delete(this.people.keys().next().value!);
  }

  forget(personId: string): void {
    this.people.delete(personId);
  }

  /** Today's counters as this process last saw them (a new day starts empty). */
  usage(day: string): Map<string, Usage> {
    if (this.today.day !== day) this.today = { day, usage: new Map() };
    return this.today.usage;
  }

  /** Counters read from the database replace what this process knew. */
  setUsage(day: string, rows: StateAnswer['usage']): void {
    const usage = this.usage(day);
    for (const [scope, key, sends, spend] of rows) usage.set(`${scope}:${key}`, { sends, spend });
  }

  /** A send committed by this process: the person's sends and the counters it charged. */
  recordSend(personId: string, send: Send, day: string, cost: number, chargedScopes: string[]): void {
    const p = this.people.get(personId);
    if (p) p.sends.push(send);
    const usage = this.usage(day);
    for (const scope of chargedScopes) {
      const u = usage.get(scope) ?? { sends: 0, spend: 0 };
      usage.set(scope, { sends: u.sends + 1, spend: u.spend + cost });
    }
  }
}

const caches = new WeakMap<object, PersonCache>();

export function personCacheOf(database: object): PersonCache {
  let c = caches.get(database);
  if (!c) caches.set(database, (c = new PersonCache()));
  return c;
}
