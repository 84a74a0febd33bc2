// What every generation needs, passed in once (routes, CLI and tests build it the same way).
import type { Database } from '../../platform/db/client.js';
import type { Guardrails } from '../../guardrails/index.js';
import type { Embedder } from '../embedder.js';
import type { BrandKit } from './brand-kit.js';
import type { Generator } from './generator.js';

export type GenerationDeps = {
  database: Database;
  embedder: Embedder;
  guardrails: Guardrails;
  generator: Generator;
  kit: BrandKit;
  now: () => Date;
};
