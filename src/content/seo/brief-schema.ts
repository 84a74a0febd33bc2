// The SEO brief as a structured object: what the generator drafts, the editor edits and the review
// page shows. Limits follow what search results display (titles about 60 characters, meta descriptions
// about 155); they are checked as warnings by the score, and as hard limits only where a field is unusable.
import { z } from 'zod';

export const INTENTS = ['informational', 'commercial', 'transactional', 'navigational'] as const;
export type Intent = (typeof INTENTS)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const Point = z.strictObject({ text: text(600), sources: z.array(z.string().max(20)).max(10) });

export const OutlineSectionSchema = z.strictObject({
  heading: text(200),
  points: z.array(Point).max(12),
  subsections: z
    .array(z.strictObject({ heading: text(200), points: z.array(Point).max(12) }))
    .max(12)
    .default([]),
});
export type OutlineSection = z.infer<typeof OutlineSectionSchema>;

export const SeoBriefSchema = z.strictObject({
  keyword: text(100),
  intent: z.enum(INTENTS),
  language: z.enum(['en', 'de']),
  titles: z.array(text(120)).min(1).max(8),
  h1s: z.array(text(150)).min(1).max(8),
  metaDescriptions: z.array(text(320)).min(1).max(8),
  outline: z.array(OutlineSectionSchema).min(1).max(15),
  terms: z
    .array(
      z.strictObject({
        term: text(80),
        min: z.number().int().min(0).max(200),
        max: z.number().int().min(0).max(400),
        from: z.array(z.enum(['brand', 'competitor', 'keyword'])),
      }),
    )
    .max(40),
  entities: z.array(z.strictObject({ name: text(120), kind: z.enum(['brand', 'product', 'name']) })).max(40),
  questions: z.array(z.strictObject({ text: text(300), source: z.string().max(20).nullable() })).max(20),
  wordCount: z.strictObject({
    min: z.number().int().min(50),
    max: z.number().int().max(20_000),
    basis: text(300),
  }),
  internalLinks: z.array(z.strictObject({ url: text(2000), anchor: text(200) })).max(20),
  jsonLd: z.array(z.record(z.string(), z.unknown())).max(5),
  notes: z.array(text(500)).max(20),
});
export type SeoBrief = z.infer<typeof SeoBriefSchema>;

/** The parts an editor can ask to regenerate. */
export const BRIEF_SECTIONS = ['titles', 'h1s', 'metaDescriptions', 'outline', 'questions'] as const;
export type BriefSection = (typeof BRIEF_SECTIONS)[number];
