// Ingest limits: at least as strict as Segment's HTTP API, plus a nesting cap of our own.
// The batch body limit (Segment's 500 KB) is ATTUNE_BATCH_LIMIT_KB in platform/config.ts.

/** Largest single event, as Segment (32 KB). */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Most events in one batch, as Segment (2,500). */
export const MAX_BATCH_EVENTS = 2500;
/** Deepest nesting inside one event (objects and arrays). */
export const MAX_EVENT_DEPTH = 32;
/** The id rule's length limit (platform/ids.ts), here beside the other ingest limits. */
export { MAX_ID_LENGTH } from '../platform/ids.js';
export const MAX_EVENT_NAME_LENGTH = 200;
/** Events stamped more than this ahead of their arrival are refused: a future-dated event must never outlive an erasure. */
export const MAX_FUTURE_MS = 24 * 3_600_000;
/** Events stamped before this are refused as a device with an unset clock. Anything later is accepted, however late. */
export const EARLIEST_TIMESTAMP = Date.parse('2000-01-01T00:00:00Z');
/** An event is marked late when it arrives more than this after it happened. */
export const LATE_AFTER_MS = 3_600_000;
