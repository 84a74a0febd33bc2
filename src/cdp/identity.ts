// Identity resolution, pure: stand-in ids ("null", "anonymous", "-1", …) are refused; anonymous ids link to one user id;
// two already-identified people are never merged, the conflict is recorded instead. The same
// rules run incrementally at ingest and in replay, so resolution is deterministic and re-playable.
import { idProblem } from '../platform/ids.js';

const NOT_IDENTITIES = new Set([
  '',
  'null',
  'undefined',
  'anonymous',
  'nil',
  'none',
  'unknown',
  '0',
  '-1',
  'nan',
  '[object object]',
]);

/** Why this value cannot be an identity, or null when it can: the platform's id rule, then stand-in values. */
export function notAnIdentityReason(id: unknown): string | null {
  if (typeof id === 'number' && Number.isFinite(id)) id = String(id);
  const problem = idProblem(id);
  if (problem) return problem.message;
  const text = id as string; // the id rule accepted only strings
  const v = text.trim().toLowerCase();
  if (NOT_IDENTITIES.has(v)) return `"${text}" is a stand-in value, not an identity`;
  if (/^[0\-_.\s]+$/.test(v)) return `"${text}" is all zeros or dashes, not an identity`;
  return null;
}

export type IdentitySignal = {
  type: string;
  userId?: string | null;
  anonymousId?: string | null;
  previousId?: string | null;
};
export type Conflict = {
  kind: 'shared-device' | 'alias-of-identified-person';
  anonymousId: string;
  existingUserId: string;
  newUserId: string;
};

export type IdentityView = {
  linkOf: (anonymousId: string) => string | undefined;
  isKnownUser: (userId: string) => boolean;
};

export type IdentityChange = {
  links: { anonymousId: string; userId: string }[];
  users: string[];
  conflicts: Conflict[];
};

/** Apply one signal to the view, returning what changes. The view must reflect earlier changes. */
export function decideIdentity(view: IdentityView, s: IdentitySignal): IdentityChange {
  const change: IdentityChange = { links: [], users: [], conflicts: [] };
  const user = s.userId ?? null;
  if (!user) return change;
  if (!view.isKnownUser(user)) change.users.push(user);
  const linkAnon = (anon: string, kindIfTaken: Conflict['kind']) => {
    const existing = view.linkOf(anon);
    if (existing === undefined) change.links.push({ anonymousId: anon, userId: user });
    else if (existing !== user)
      change.conflicts.push({
        kind: kindIfTaken,
        anonymousId: anon,
        existingUserId: existing,
        newUserId: user,
      });
  };
  if (s.type === 'alias' && s.previousId) {
    if (s.previousId !== user && view.isKnownUser(s.previousId)) {
      change.conflicts.push({
        kind: 'alias-of-identified-person',
        anonymousId: s.previousId,
        existingUserId: s.previousId,
        newUserId: user,
      });
    } else if (s.previousId !== user) {
      linkAnon(s.previousId, 'shared-device');
    }
  }
  if (s.anonymousId) linkAnon(s.anonymousId, 'shared-device');
  return change;
}

/** Replay a whole ordered history from nothing. */
export function replayIdentity(signals: Iterable<IdentitySignal>): {
  links: Map<string, string>;
  users: Set<string>;
  conflicts: Conflict[];
} {
  const links = new Map<string, string>();
  const users = new Set<string>();
  const conflicts: Conflict[] = [];
  const view: IdentityView = { linkOf: (a) => links.get(a), isKnownUser: (u) => users.has(u) };
  for (const s of signals) {
    const c = decideIdentity(view, s);
    for (const u of c.users) users.add(u);
    for (const l of c.links) links.set(l.anonymousId, l.userId);
    conflicts.push(...c.conflicts);
  }
  return { links, users, conflicts };
}

/** The canonical person id of an event: its user, the user its anonymous id links to, or the anonymous id. */
export function personIdOf(
  userId: string | null | undefined,
  anonymousId: string | null | undefined,
  linkOf: (a: string) => string | undefined,
): string | null {
  if (userId) return `u:${userId}`;
  if (!anonymousId) return null;
  const linked = linkOf(anonymousId);
  return linked ? `u:${linked}` : `a:${anonymousId}`;
}
