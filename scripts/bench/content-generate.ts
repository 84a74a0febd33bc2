// Offline generation time per SEO brief and per creative-variant set on the embedded database with the
// brand pages indexed; the baseline is one hybrid retrieval for the same keyword, in the same run.
import { openServices } from '../../src/services.js';
import { createLogger } from '../../src/platform/log.js';
import { parseConfig } from '../../src/platform/config.js';
import { fromRoot } from '../../src/platform/paths.js';
import { addDocuments } from '../../src/content/corpus.js';
import { listDocumentFiles, readDocumentFile } from '../../src/content/files.js';
import { createLocalEmbedder } from '../../src/content/embed-local.js';
import { searchContent } from '../../src/content/search.js';
import { createGuardrails } from '../../src/guardrails/index.js';
import { defaultBrandKit } from '../../src/content/generate/brand-kit.js';
import { createGenerator } from '../../src/content/generate/generator.js';
import { BriefRequestSchema, draftBrief } from '../../src/content/generate/brief.js';
import { CreativeRequestSchema, generateVariants } from '../../src/content/generate/variants.js';

const KEYWORDS = [
  'green tea temperature',
  'cold brew coffee',
  'pour-over coffee',
  'french press ratio',
  'espresso grind size',
  'descale a kettle',
  'store coffee beans',
  'coffee subscription',
  'return policy coffee',
  'free shipping coffee',
  'grüner Tee Temperatur',
  'Cold Brew Zubereitung',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export async function generationFigures(say: (s: string) => void): Promise<void> {
  const services = await openServices(
    parseConfig({ ATTUNE_DATA_DIR: 'memory://', ATTUNE_WORKERS: 'off', LOG_LEVEL: 'silent' }),
    createLogger('silent'),
    { purpose: 'bench', supervise: false },
  );
  try {
    const embedder = createLocalEmbedder();
    await addDocuments(
      services.database,
      embedder,
      listDocumentFiles([fromRoot('fixtures/brand/pages')]).map((f) => readDocumentFile(f)),
      new Date(),
    );
    const kit = defaultBrandKit();
    const deps = {
      database: services.database,
      embedder,
      guardrails: createGuardrails({ styleGuide: kit.styleGuide }),
      generator: createGenerator({
        apiKey: undefined,
        baseUrl: undefined,
        model: 'none',
        prices: { inputPerMTok: 0, outputPerMTok: 0 },
        timeoutMs: 1,
      }),
      kit,
      now: () => new Date(),
    };
    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const search: number[] = [];
    const briefs: number[] = [];
    const ads: number[] = [];
    const scores: number[] = [];
    for (const round of [0, 1])
      for (const keyword of KEYWORDS) {
        const s = await time(() =>
          searchContent(services.database, embedder, {
            query: keyword,
            brand: 'kettle-crane',
            access: ['public'],
            limit: 12,
          }),
        );
        let score = 0;
        const b = await time(async () => {
          score = (await draftBrief(deps, BriefRequestSchema.parse({ keyword }), [])).score.total;
        });
        const a = await time(() =>
          generateVariants(deps, CreativeRequestSchema.parse({ kind: 'ad', topic: keyword, n: 5 }), []),
        );
        if (round === 1) {
          // The first round warms caches (HNSW index pages, the injection model); the second is timed.
          search.push(s);
          briefs.push(b);
          ads.push(a);
          scores.push(score);
        }
      }
    say(`\nOffline generation on the embedded database (${KEYWORDS.length} keywords, brand pages indexed)`);
    say(`  retrieval alone      median ${median(search).toFixed(0).padStart(5)} ms (baseline)`);
    say(
      `  SEO brief            median ${median(briefs).toFixed(0).padStart(5)} ms, max ${Math.max(...briefs).toFixed(0)} ms   ${(median(briefs) / median(search)).toFixed(1)} × retrieval`,
    );
    say(
      `  5+5 ad variants      median ${median(ads).toFixed(0).padStart(5)} ms, max ${Math.max(...ads).toFixed(0)} ms   ${(median(ads) / median(search)).toFixed(1)} × retrieval`,
    );
    say(
      `  content score of the offline briefs: ${Math.min(...scores)}–${Math.max(...scores)} (median ${median(scores)})`,
    );
  } finally {
    await services.close();
  }
}
