// The one place that reads the environment. Everything else receives a Config.
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const bool = (fallback: boolean) =>
  z
    .preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false'))
    .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: intIn(0, 65535, 8787),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (or be empty for the embedded database)')
      .optional(),
  ),
  ATTUNE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.attune/data')),
  ATTUNE_REPORTS_DIR: z.preprocess(emptyToUndefined, z.string().default('reports/dist')),
  ATTUNE_EMBEDDED_PG_PORT: intIn(0, 65535, 0),
  ATTUNE_TF_BACKEND: z.preprocess(
    emptyToUndefined,
    z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  ),
  ATTUNE_WORKERS: z.preprocess(emptyToUndefined, z.enum(['auto', 'on', 'off']).default('auto')),
  ATTUNE_JOB_CONCURRENCY: intIn(1, 64, 2),
  ATTUNE_DB_POOL_MAX: intIn(1, 200, 10),
  ATTUNE_BODY_LIMIT_KB: intIn(1, 102_400, 256),
  ATTUNE_BATCH_LIMIT_KB: intIn(1, 102_400, 500),
  ATTUNE_SAMPLE_LIMIT_KB: intIn(1, 1_048_576, 16_384),
  ATTUNE_TRUST_PROXY: bool(false),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(
    emptyToUndefined,
    z.url('must be a URL such as http://127.0.0.1:8000/v1').optional(),
  ),
  /** The chat model content generation asks (any name the OpenAI-compatible server maps). */
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  /** USD per million tokens, for the cost recorded with every generation (gpt-4o-mini's list prices). */
  OPENAI_PRICE_INPUT_PER_MTOK: z.preprocess(
    emptyToUndefined,
    z.coerce.number().min(0).max(1000).default(0.15),
  ),
  OPENAI_PRICE_OUTPUT_PER_MTOK: z.preprocess(
    emptyToUndefined,
    z.coerce.number().min(0).max(1000).default(0.6),
  ),
  OPENAI_TIMEOUT_MS: intIn(100, 600_000, 60_000),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS).default('info')),
});

export type Config = Readonly<{
  port: number;
  host: string;
  database: { mode: 'embedded'; dataDir: string; socketPort: number } | { mode: 'server'; url: string };
  dataDir: string;
  /** Where rendered reports are written (CLI default, scheduled job) and served from (/reports). */
  reportsDir: string;
  poolMax: number;
  tfBackend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  workers: 'auto' | 'on' | 'off';
  jobConcurrency: number;
  limits: { bodyBytes: number; batchBytes: number; sampleBytes: number };
  trustProxy: boolean;
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    prices: { inputPerMTok: number; outputPerMTok: number };
    timeoutMs: number;
  };
  logLevel: (typeof LOG_LEVELS)[number];
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Attune cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parse an environment into a frozen Config, or throw one ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])] ?? null)})`,
      ),
    );
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { mode: 'server' as const, url: e.DATABASE_URL }
      : { mode: 'embedded' as const, dataDir: e.ATTUNE_DATA_DIR, socketPort: e.ATTUNE_EMBEDDED_PG_PORT },
    dataDir: e.ATTUNE_DATA_DIR,
    reportsDir: path.resolve(e.ATTUNE_REPORTS_DIR),
    poolMax: e.ATTUNE_DB_POOL_MAX,
    tfBackend: e.ATTUNE_TF_BACKEND,
    workers: e.ATTUNE_WORKERS,
    jobConcurrency: e.ATTUNE_JOB_CONCURRENCY,
    limits: {
      bodyBytes: e.ATTUNE_BODY_LIMIT_KB * 1024,
      batchBytes: e.ATTUNE_BATCH_LIMIT_KB * 1024,
      sampleBytes: e.ATTUNE_SAMPLE_LIMIT_KB * 1024,
    },
    trustProxy: e.ATTUNE_TRUST_PROXY,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      prices: { inputPerMTok: e.OPENAI_PRICE_INPUT_PER_MTOK, outputPerMTok: e.OPENAI_PRICE_OUTPUT_PER_MTOK },
      timeoutMs: e.OPENAI_TIMEOUT_MS,
    },
    logLevel: e.LOG_LEVEL,
  });
}

/** The process environment, parsed. Overrides win over process.env (used by the CLI's flags). */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return parseConfig({ ...process.env, ...defined });
}
