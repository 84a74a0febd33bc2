// Every API route is declared through defineRoute: its roles, its body limit and its zod schemas
// live in one place, which feeds validation, the OpenAPI document and the role-matrix test.
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Role } from './env.js';
import { requireRole } from './auth.js';
import { jsonBody } from './json-body.js';
import { storableParams } from './storable-input.js';

type CreateRouteConfig = Parameters<typeof createRoute>[0];

export type RouteSpec<C extends CreateRouteConfig> = C & {
  /** Roles admitted; `null` for public routes (health, the OpenAPI document). */
  roles: readonly Role[] | null;
  /** Largest accepted body in bytes (routes with a JSON body). */
  bodyLimitBytes?: number;
  /**
   * The route checks each item of its body for NUL, unpaired surrogates and `__proto__` itself
   * (ingest batches, so a bad event never costs its neighbours); every other body is checked whole.
   */
  checksItems?: boolean;
};

/** The problem+json shape, for the OpenAPI document. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          index: z.number().int().optional(),
          code: z.string().optional(),
        }),
      )
      .optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export function defineRoute<C extends CreateRouteConfig>(spec: RouteSpec<C>) {
  const { roles, bodyLimitBytes, checksItems, ...config } = spec;
  const middleware: MiddlewareHandler<AppEnv>[] = [];
  if (roles) middleware.push(requireRole(roles));
  middleware.push(storableParams());
  if (config.request?.body)
    middleware.push(jsonBody(bodyLimitBytes ?? 256 * 1024, { checkText: checksItems !== true }));
  return createRoute({
    ...config,
    middleware,
    ...(roles ? { security: [{ apiKey: [] }], 'x-attune-roles': roles } : { 'x-attune-roles': [] }),
    responses: {
      ...config.responses,
      ...(config.request?.body || config.request?.params || config.request?.query
        ? { 400: problem('Invalid request') }
        : {}),
      ...(config.request?.body ? { 413: problem('Body too large'), 415: problem('Not JSON') } : {}),
      ...(roles ? { 401: problem('Missing or unknown key'), 403: problem('Wrong role') } : {}),
      500: problem('Internal error'),
      503: problem('Database unavailable'),
    },
  } as unknown as C);
}

/** A JSON response entry for a route's `responses`. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
