// Domains register their job types here; the queue creates one pg-boss queue per type.
import type { z } from 'zod';
import type { Logger } from '../log.js';

export type JobContext<T> = {
  id: string;
  data: T;
  /** 1-based attempt number (1 = first try). */
  attempt: number;
  log: Logger;
  /** Record progress in [0, 1] with a short message; shown by GET /v1/jobs/:id. */
  progress: (fraction: number, message?: string) => Promise<void>;
};

export type JobDefinition<T = unknown> = {
  type: string;
  description: string;
  /** Validates the data of every job of this type before it is queued. */
  data: z.ZodType<T>;
  handler: (job: JobContext<T>) => Promise<Record<string, unknown> | void>;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
};

/** Defaults for every job type that does not say otherwise. */
export const JOB_DEFAULTS = {
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
} as const;

export class JobRegistry {
  readonly #defs = new Map<string, JobDefinition>();

  register<T>(def: JobDefinition<T>): this {
    if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(def.type))
      throw new Error(`Job type "${def.type}" must be lower-case words joined by dots or dashes.`);
    if (this.#defs.has(def.type)) throw new Error(`Job type "${def.type}" is registered twice.`);
    this.#defs.set(def.type, def as JobDefinition);
    return this;
  }

  get(type: string): JobDefinition | undefined {
    return this.#defs.get(type);
  }

  list(): JobDefinition[] {
    return [...this.#defs.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** Runs a job's handler in this process, without the queue (the demo's setup, tests, benchmarks). */
  async runInline(type: string, data: unknown, log: Logger): Promise<Record<string, unknown> | void> {
    const def = this.#defs.get(type);
    if (!def) throw new Error(`No job type "${type}".`);
    return def.handler({
      id: `inline-${type}`,
      attempt: 1,
      log,
      progress: () => Promise.resolve(),
      data: def.data.parse(data),
    });
  }
}
