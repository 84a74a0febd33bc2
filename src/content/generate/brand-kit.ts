// What generation knows about a brand beyond its documents: the style guide (voice, banned words,
// competitors) and the product catalogue (names, prices). The simulated brand's come from fixtures/brand/.
import fs from 'node:fs';
import { z } from 'zod';
import { StyleGuideSchema, type StyleGuide } from '../../guardrails/index.js';
import { fromRoot } from '../../platform/paths.js';

const CatalogueSchema = z.object({
  brand: z.string(),
  products: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      category: z.string(),
      price: z.number(),
      currency: z.string(),
      blurb: z.string().optional(),
    }),
  ),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;

export type BrandKit = { styleGuide: StyleGuide; voiceSummary: string; catalogue: Catalogue };

let cached: BrandKit | undefined;

/** The simulated brand's style guide and catalogue, read once. */
export function defaultBrandKit(): BrandKit {
  const raw = JSON.parse(fs.readFileSync(fromRoot('fixtures/brand/style-guide.json'), 'utf8')) as {
    voice?: { summary?: string };
  };
  cached ??= {
    styleGuide: StyleGuideSchema.parse(raw),
    voiceSummary: raw.voice?.summary ?? 'plain and precise',
    catalogue: CatalogueSchema.parse(
      JSON.parse(fs.readFileSync(fromRoot('fixtures/brand/catalogue.json'), 'utf8')),
    ),
  };
  return cached;
}

/** The template variables that put the style guide into every prompt. */
export function voiceVariables(kit: BrandKit): Record<string, string> {
  const guide = kit.styleGuide;
  return {
    brand: guide.brand,
    voice: kit.voiceSummary,
    do: (guide.voice?.do ?? []).join('; ') || 'be concrete',
    dont: (guide.voice?.dont ?? []).join('; ') || 'exaggerate',
    banned: guide.bannedWords.join(', ') || 'none',
    competitors: guide.competitors.join(', ') || 'none',
  };
}
