// The whole HTTP API: platform routes, then each domain's routes.
import { createHttpApp, type Api } from './platform/http/app.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { registerKeyRoutes } from './platform/auth/routes.js';
import { resolveKey } from './platform/auth/store.js';
import { createKeyCache } from './platform/auth/key-cache.js';
import { registerJobRoutes } from './platform/jobs/routes.js';
import { registerCdpRoutes } from './cdp/routes.js';
import { registerStatsRoutes } from './experiments/stats/routes.js';
import { registerDriftRoutes } from './drift/routes.js';
import { registerExperimentRoutes } from './experiments/routes.js';
import { registerUiRoutes } from './ui/routes.js';
import { registerUiBriefRoutes } from './ui/brief-routes.js';
import { registerGuardrailRoutes } from './guardrails/routes.js';
import { scanJudgeFor } from './scan-judge.js';
import { registerNbaRoutes } from './nba/routes.js';
import { registerModelRoutes } from './models/registry/routes.js';
import { registerPropensityRoutes } from './models/propensity/routes.js';
import { registerMmmRoutes } from './models/mmm/routes.js';
import { modelKinds } from './model-kinds.js';
import {
  createEmbedder,
  createGenerator,
  defaultBrandKit,
  registerContentRoutes,
  registerReviewRoutes,
  type GenerationDeps,
} from './content/index.js';
import { createGuardrails } from './guardrails/index.js';
import type { Services } from './services.js';
import { ERASURE_STEPS } from './erasure-steps.js';
import { VERSION } from './platform/version.js';

export function createApi(services: Services): Api {
  const { database, config, queue, log } = services;
  // Keys are looked up once per KEY_CACHE_TTL_MS per process (the bound on a revocation elsewhere).
  const keys = createKeyCache((key) => resolveKey(database.db, key));
  const app = createHttpApp({ log, version: VERSION, resolveKey: keys.resolve });
  registerHealthRoutes(app, services.checkReady, VERSION);
  registerKeyRoutes(app, database.db, config.limits.bodyBytes, keys.forgetKeyId);
  registerJobRoutes(app, database.db, queue, config.limits.bodyBytes, services.clock);
  registerCdpRoutes(app, database, config.limits, services.clock, ERASURE_STEPS);
  registerExperimentRoutes(app, database, config.limits.bodyBytes, services.clock);
  registerStatsRoutes(app, config.limits.bodyBytes);
  registerDriftRoutes(app, database, config.limits.sampleBytes);
  registerUiRoutes(app, database, config.reportsDir, services.clock);
  // One LLM judge (with OPENAI_API_KEY) for the scan and for generation's inputs and retrieved chunks.
  const judge = scanJudgeFor(config.openai, log);
  registerGuardrailRoutes(app, database, config.limits.bodyBytes, services.clock, judge);
  registerNbaRoutes(app, {
    database,
    sampleBytes: config.limits.sampleBytes,
    bodyBytes: config.limits.bodyBytes,
    clock: services.clock,
  });
  registerModelRoutes(app, {
    database,
    queue,
    kinds: modelKinds(database, services.clock).map((k) => k.kind),
    bodyLimitBytes: config.limits.bodyBytes,
  });
  registerPropensityRoutes(app, database, services.clock);
  registerMmmRoutes(app, {
    database,
    queue,
    bodyLimitBytes: config.limits.bodyBytes,
    importLimitBytes: config.limits.sampleBytes,
  });
  const embedder = createEmbedder(config.openai);
  registerContentRoutes(app, database, embedder, config.limits.bodyBytes, services.clock);
  const kit = defaultBrandKit();
  const generation: GenerationDeps = {
    database,
    embedder,
    guardrails: createGuardrails({
      styleGuide: kit.styleGuide,
      now: services.clock,
      ...(judge ? { judge } : {}),
    }),
    generator: createGenerator(config.openai),
    kit,
    now: services.clock,
  };
  registerReviewRoutes(app, generation, config.limits.bodyBytes);
  registerUiBriefRoutes(app, generation);
  return app;
}
