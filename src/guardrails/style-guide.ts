// The brand style guide as the output checks read it (fixtures/brand/style-guide.json has this shape).
import { z } from 'zod';

export const StyleGuideSchema = z.object({
  brand: z.string(),
  bannedWords: z.array(z.string()),
  bannedClaims: z.array(z.object({ pattern: z.string(), reason: z.string() })),
  requiredDisclaimers: z.array(z.object({ when: z.string(), text: z.string() })),
  competitors: z.array(z.string()),
  terminology: z.object({
    preferred: z.record(z.string(), z.string()),
    spelling: z.record(z.string(), z.string()),
  }),
  voice: z.object({ dont: z.array(z.string()).optional(), do: z.array(z.string()).optional() }).optional(),
});
export type StyleGuide = z.infer<typeof StyleGuideSchema>;

/** What triggers each disclaimer, read from its "when" wording; unknown wordings use their last word. */
const TRIGGERS: [RegExp, RegExp][] = [
  [/caffeine/i, /\b(caffeine|caffeinated|koffein)/i],
  [/discount|offer/i, /\b(discount|offer|sale|coupon|promo(tion)?|\d+\s?% off|rabatt|angebot)\b/i],
  [/subscription/i, /\b(subscri\w+|abo(nnement)?)\b/i],
];

export function disclaimerTrigger(when: string): RegExp {
  const known = TRIGGERS.find(([k]) => k.test(when));
  if (known) return known[1];
  const last = when.trim().split(/\s+/).at(-1) ?? when;
  return new RegExp(`\\b${last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i');
}
