import { z } from '@hono/zod-openapi';
import type { Api } from './app.js';
import { defineRoute } from './route.js';
import { problemResponse } from './problem.js';
import { AppError, toProblem } from '../errors.js';

export type Readiness = {
  ready: boolean;
  checks: { database: { ok: boolean; detail: string }; migrations: { ok: boolean; detail: string } };
  capabilities: Record<string, { available: boolean; reason: string }>;
};

const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string() })),
    capabilities: z.record(z.string(), z.object({ available: z.boolean(), reason: z.string() })),
  })
  .openapi('Readiness');

export function registerHealthRoutes(app: Api, checkReady: () => Promise<Readiness>, version: string): void {
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/healthz',
      roles: null,
      tags: ['health'],
      summary: 'The process is alive',
      responses: {
        200: {
          description: 'Alive',
          content: {
            'application/json': { schema: z.object({ status: z.literal('ok'), version: z.string() }) },
          },
        },
      },
    }),
    (c) => c.json({ status: 'ok' as const, version }, 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/readyz',
      roles: null,
      tags: ['health'],
      summary: 'Database reachable, migrations current, capabilities',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: ReadinessSchema } } },
      },
    }),
    async (c) => {
      const r = await checkReady();
      if (r.ready) return c.json(r, 200);
      const failing = Object.entries(r.checks)
        .filter(([, v]) => !v.ok)
        .map(([k, v]) => `${k}: ${v.detail}`)
        .join('; ');
      return problemResponse(
        c,
        toProblem(new AppError('not-ready', failing, { extra: r }), c.req.path),
      ) as never;
    },
  );
}
