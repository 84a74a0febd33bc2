// Erasure reaches the index and the generated assets: PII is masked before indexing and before
// generation, but an id the recognisers cannot know (a user id, an anonymous id) may still sit in a
// document, a keyword, a topic, a brief or an editor's reason. Rows that mention any of the person's ids
// are deleted.
import { like, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ErasureStep } from '../cdp/index.js';

type ErasureSubject = Parameters<ErasureStep['erase']>[1];
import { contentBriefEvents, contentBriefs, contentChunks, contentCreatives } from './tables.js';

/** Shorter ids would match ordinary words. */
const MIN_ID_LENGTH = 4;

function patterns(s: ErasureSubject): string[] {
  return [...new Set([...s.ids, ...s.personIds])]
    .filter((i) => i.length >= MIN_ID_LENGTH)
    .map((i) => `%${i.replace(/[\\%_]/g, (m: string) => `\\${m}`)}%`);
}

/** Any of the columns (as text: jsonb too) mentions any of the ids. */
const mentions = (columns: PgColumn[], p: string[]): SQL | undefined =>
  or(...columns.flatMap((c) => p.map((x) => like(sql`${c}::text`, x))));

export const CONTENT_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'content_chunks',
    erase: async (tx, s) => {
      const p = patterns(s);
      if (!p.length) return 0;
      const t = contentChunks;
      return (
        await tx
          .delete(t)
          .where(mentions([t.text, t.headings], p))
          .returning({ id: t.id })
      ).length;
    },
  },
  {
    table: 'content_brief_events',
    erase: async (tx, s) => {
      const p = patterns(s);
      if (!p.length) return 0;
      const t = contentBriefEvents;
      return (
        await tx
          .delete(t)
          .where(mentions([t.reason, t.details], p))
          .returning({ id: t.id })
      ).length;
    },
  },
  {
    table: 'content_briefs',
    erase: async (tx, s) => {
      const p = patterns(s);
      if (!p.length) return 0;
      const t = contentBriefs;
      return (
        await tx
          .delete(t)
          .where(mentions([t.keyword, t.brief, t.sources, t.findings], p))
          .returning({ id: t.id })
      ).length;
    },
  },
  {
    table: 'content_creatives',
    erase: async (tx, s) => {
      const p = patterns(s);
      if (!p.length) return 0;
      const t = contentCreatives;
      return (
        await tx
          .delete(t)
          .where(mentions([t.topic, t.variants, t.sources, t.findings], p))
          .returning({ id: t.id })
      ).length;
    },
  },
];
