// One raw event in, one normalized event or one reason out. Pure: the arrival time and the
// batch's shared fields come in as arguments.
import crypto from 'node:crypto';
import { inspectValue, isPlainObject, safeMerge } from './json-guards.js';
import { notAnIdentityReason } from './identity.js';
import { idProblem } from '../platform/ids.js';
import { consentFromContext, type ConsentCategories } from './consent.js';
import {
  EARLIEST_TIMESTAMP,
  LATE_AFTER_MS,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  MAX_EVENT_NAME_LENGTH,
  MAX_FUTURE_MS,
} from './limits.js';

export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type NormalizedEvent = {
  messageId: string;
  messageIdDerived: boolean;
  type: EventType;
  event: string | null;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  groupId: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  context: Record<string, unknown>;
  integrations: Record<string, unknown> | null;
  timestamp: Date;
  receivedAt: Date;
  sentAt: Date | null;
  originalTimestamp: Date | null;
  /** The client's own `timestamp` field as sent, kept raw beside the corrected one. */
  clientTimestamp: Date | null;
  lateMs: number;
  late: boolean;
  consent: { categories: ConsentCategories; raw: Record<string, unknown> } | null;
};

export type Rejection = { code: string; reason: string; path?: string };
export type NormalizeResult =
  { ok: true; event: NormalizedEvent } | { ok: false; rejection: Rejection; messageId: string | null };

export type BatchShared = {
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  sentAt?: unknown;
};

const reject = (code: string, reason: string, messageId: string | null, path?: string): NormalizeResult => ({
  ok: false,
  rejection: { code, reason, ...(path ? { path } : {}) },
  messageId,
});

function parseTime(v: unknown): Date | null | 'invalid' {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' && typeof v !== 'number') return 'invalid';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? 'invalid' : d;
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A messageId from the event's content (not its delivery times), so retries of the same event dedupe. */
export function deriveMessageId(raw: Record<string, unknown>): string {
  const { sentAt: _s, receivedAt: _r, messageId: _m, ...content } = raw;
  return 'derived-' + crypto.createHash('sha256').update(stableStringify(content)).digest('hex').slice(0, 32);
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function normalizeEvent(
  raw: unknown,
  receivedAt: Date,
  shared: BatchShared = {},
  forcedType?: EventType,
): NormalizeResult {
  if (!isPlainObject(raw)) return reject('not-an-object', 'each event must be a JSON object', null);
  const rawId = raw.messageId;
  const messageIdGiven = typeof rawId === 'string' && idProblem(rawId) === null ? rawId : null;
  const { problem, sizeBound } = inspectValue(raw, MAX_EVENT_DEPTH);
  // Serialize only when the walk could not rule the size out (or stopped early on a problem).
  const bytes = sizeBound > MAX_EVENT_BYTES || problem ? Buffer.byteLength(JSON.stringify(raw), 'utf8') : 0;
  if (bytes > MAX_EVENT_BYTES)
    return reject(
      'event-too-large',
      `the event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes (32 KB) per event`,
      messageIdGiven,
    );
  if (problem) {
    const reasons = {
      'nul-character': 'contains a NUL character, which PostgreSQL cannot store; remove it',
      'lone-surrogate':
        'contains an unpaired UTF-16 surrogate (invalid Unicode), which PostgreSQL cannot store',
      'forbidden-key': 'uses the key "__proto__", which is refused',
      'too-deep': `nests deeper than ${MAX_EVENT_DEPTH} levels of objects and arrays (the limit)`,
    } as const;
    return reject(problem.code, `${problem.path} ${reasons[problem.code]}`, messageIdGiven, problem.path);
  }
  const idWhy = rawId === undefined || rawId === null ? null : idProblem(rawId);
  if (idWhy) return reject('invalid-message-id', `messageId ${idWhy.message}`, null, 'messageId');
  const messageId = messageIdGiven ?? deriveMessageId(raw);
  const type = (forcedType ?? raw.type) as EventType;
  if (!EVENT_TYPES.includes(type))
    return reject('invalid-type', `type must be one of ${EVENT_TYPES.join(', ')}`, messageId, 'type');
  if (forcedType && raw.type !== undefined && raw.type !== forcedType)
    return reject(
      'invalid-type',
      `this endpoint takes ${forcedType} events, the event says ${JSON.stringify(raw.type)}`,
      messageId,
      'type',
    );

  const ids: Record<'userId' | 'anonymousId' | 'previousId' | 'groupId', string | null> = {
    userId: null,
    anonymousId: null,
    previousId: null,
    groupId: null,
  };
  for (const key of ['userId', 'anonymousId', 'previousId', 'groupId'] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    const why = notAnIdentityReason(v);
    if (why) return reject('invalid-id', `${key} ${why}`, messageId, key);
    ids[key] = typeof v === 'number' ? String(v) : (v as string); // notAnIdentityReason accepted only strings and finite numbers
  }
  if (type === 'alias') {
    if (!ids.previousId || !ids.userId)
      return reject('missing-id', 'an alias needs both previousId and userId', messageId);
  } else if (!ids.userId && !ids.anonymousId) {
    return reject('missing-id', 'every event needs a userId or an anonymousId', messageId);
  }
  if (type === 'group' && !ids.groupId)
    return reject('missing-id', 'a group call needs a groupId', messageId, 'groupId');

  let event: string | null = null;
  if (type === 'track') {
    if (typeof raw.event !== 'string' || raw.event.trim() === '')
      return reject('invalid-event-name', 'a track call needs an event name', messageId, 'event');
    if (raw.event.length > MAX_EVENT_NAME_LENGTH)
      return reject(
        'invalid-event-name',
        `event names are at most ${MAX_EVENT_NAME_LENGTH} characters`,
        messageId,
        'event',
      );
    if (CONTROL_CHARS.test(raw.event))
      return reject('invalid-event-name', 'the event name contains control characters', messageId, 'event');
    event = raw.event;
  }
  const name = typeof raw.name === 'string' ? raw.name : null;
  if (name && CONTROL_CHARS.test(name))
    return reject(
      'invalid-event-name',
      'the page or screen name contains control characters',
      messageId,
      'name',
    );
  for (const key of ['properties', 'traits', 'context', 'integrations'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && !isPlainObject(raw[key]))
      return reject('wrong-type', `${key} must be an object`, messageId, key);
  }

  const times: Record<'timestamp' | 'sentAt' | 'originalTimestamp', Date | null> = {
    timestamp: null,
    sentAt: null,
    originalTimestamp: null,
  };
  for (const key of ['timestamp', 'sentAt', 'originalTimestamp'] as const) {
    const t = parseTime(key === 'sentAt' ? (raw.sentAt ?? shared.sentAt) : raw[key]);
    if (t === 'invalid')
      return reject('invalid-timestamp', `${key} must be an ISO 8601 date-time`, messageId, key);
    times[key] = t;
  }
  // Clock-skew correction as Segment does: the device's clock error is sentAt − receivedAt.
  let timestamp: Date;
  if (times.sentAt && times.originalTimestamp)
    timestamp = new Date(receivedAt.getTime() - (times.sentAt.getTime() - times.originalTimestamp.getTime()));
  else timestamp = times.timestamp ?? times.originalTimestamp ?? receivedAt;
  if (timestamp.getTime() > receivedAt.getTime() + MAX_FUTURE_MS) {
    return reject(
      'timestamp-in-future',
      `the event is dated ${timestamp.toISOString()}, more than 24 hours after it arrived; fix the device clock or send sentAt so it can be corrected`,
      messageId,
      'timestamp',
    );
  }
  if (timestamp.getTime() < EARLIEST_TIMESTAMP) {
    return reject(
      'timestamp-too-old',
      `the event is dated ${timestamp.toISOString()}, before 2000-01-01: the device clock is unset`,
      messageId,
      'timestamp',
    );
  }
  // A batch's shared fields merge into each event; without them the event's own objects are used as they are.
  const context = (
    shared.context ? safeMerge(shared.context, raw.context ?? {}) : (raw.context ?? {})
  ) as Record<string, unknown>;
  const integrations = (
    shared.integrations ? safeMerge(shared.integrations, raw.integrations ?? {}) : (raw.integrations ?? {})
  ) as Record<string, unknown>;
  const lateMs = Math.max(0, receivedAt.getTime() - timestamp.getTime());
  return {
    ok: true,
    event: {
      messageId,
      messageIdDerived: !messageIdGiven,
      type,
      event,
      name,
      ...ids,
      properties: isPlainObject(raw.properties) ? raw.properties : null,
      traits: isPlainObject(raw.traits) ? raw.traits : null,
      context,
      integrations: Object.keys(integrations).length ? integrations : null,
      timestamp,
      receivedAt,
      sentAt: times.sentAt,
      originalTimestamp: times.originalTimestamp,
      clientTimestamp: times.timestamp,
      lateMs,
      late: lateMs > LATE_AFTER_MS,
      consent: consentFromContext(context),
    },
  };
}
