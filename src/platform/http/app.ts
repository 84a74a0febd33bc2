// The HTTP application shell: request ids, access logs, auth, problem+json errors, OpenAPI.
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import type { Logger } from '../log.js';
import { ValidationError, problemsFromIssues } from '../errors.js';
import type { AppEnv } from './env.js';
import { authenticate, type KeyResolver } from './auth.js';
import { onError, onNotFound } from './problem.js';
import { lazyChild } from './request-log.js';

export type Api = OpenAPIHono<AppEnv>;

export function createHttpApp(options: { log: Logger; resolveKey: KeyResolver; version: string }): Api {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = problemsFromIssues(result.error.issues);
        throw new ValidationError(`The request has ${errors.length} problem(s); see errors[].`, errors);
      }
    },
  });
  app.use(requestId({ limitLength: 64 }));
  app.use(async function accessLog(c, next) {
    c.set('log', lazyChild(options.log, { requestId: c.get('requestId') }));
    const started = performance.now();
    await next();
    // Below the level, the request's logger is never made (request-log.ts).
    if (!options.log.isLevelEnabled('info')) return;
    // Route pattern, not the raw path: paths can carry user ids.
    c.get('log').info(
      {
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use('/v1/*', authenticate(options.resolveKey));
  app.onError(onError);
  app.notFound(onNotFound);
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An Attune API key. Sources may also send it as the Basic-auth user name.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Attune API',
      version: options.version,
      description: 'Errors are application/problem+json.',
    },
  });
  return app;
}
