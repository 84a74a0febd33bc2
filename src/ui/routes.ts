// The browser side: /ui pages behind a key-based session, and the rendered reports at /reports.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS, type Principal } from '../platform/http/env.js';
import { AppError } from '../platform/errors.js';
import type { Database } from '../platform/db/client.js';
import { resolveKey } from '../platform/auth/store.js';
import { listExperiments } from '../experiments/store.js';
import type { RenderedReport } from '../reports/render.js';
import { endSession, pagePrincipal, startSession } from './session.js';
import { experimentsPage, layout, loginPage, reportsPage } from './pages.js';
import { html } from '../reports/html.js';

export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const REPORT_FILE = /^(index\.html|manifest\.json|[a-z][a-z0-9-]*(--[a-z0-9-]+)?\.html)$/;
const readers: readonly string[] = ROLE_GROUPS.readers;

/** Only local paths under /ui or /reports may be returned to after sign-in. */
const safeNext = (next: string | undefined) =>
  next && /^\/(ui|reports)(\/[A-Za-z0-9._\-/?=&%]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/ui/reports';

function page(c: Context, body: string, status: 200 | 401 | 403 | 404 = 200) {
  return c.html(body, status, PAGE_HEADERS);
}

function manifest(reportsDir: string): RenderedReport[] {
  const file = path.join(reportsDir, 'manifest.json');
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { reports: RenderedReport[] }).reports
    : [];
}

export function registerUiRoutes(app: Api, database: Database, reportsDir: string, clock: () => Date): void {
  /** The signed-in reader, or a response that sends the browser to sign in (or refuses the role). */
  async function reader(c: Context): Promise<Principal | Response> {
    const principal = await pagePrincipal(c, database, clock());
    const wantsHtml = (c.req.header('accept') ?? '').includes('text/html') || c.req.path.startsWith('/ui');
    if (!principal) {
      if (wantsHtml) return c.redirect(`/ui/login?next=${encodeURIComponent(c.req.path)}`, 303);
      throw new AppError(
        'unauthenticated',
        'Reports need an API key (Authorization: Bearer) or a signed-in session.',
      );
    }
    if (!readers.includes(principal.role)) {
      if (wantsHtml)
        return page(
          c,
          layout(
            'Not allowed',
            html`<p>A ${principal.role} key cannot read reports; use a marketer, editor, analyst or admin key.</p>`,
            principal,
          ),
          403,
        );
      throw new AppError('forbidden', `A ${principal.role} key may not read reports.`);
    }
    return principal;
  }

  app.get('/ui', (c) => c.redirect('/ui/reports', 302));
  app.get('/ui/login', (c) => page(c, loginPage(null, safeNext(c.req.query('next')))));
  app.post(
    '/ui/login',
    bodyLimit({
      maxSize: 4096,
      onError: () => {
        throw new AppError('payload-too-large', 'The sign-in form is too large.');
      },
    }),
    async (c) => {
      const form = await c.req.parseBody();
      const key = typeof form.key === 'string' ? form.key.trim() : '';
      const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
      const principal = key ? await resolveKey(database.db, key) : null;
      if (!principal) return page(c, loginPage('That key is unknown or has been revoked.', next), 401);
      if (!readers.includes(principal.role))
        return page(
          c,
          loginPage(
            `A ${principal.role} key is for machines; sign in with a marketer, editor, analyst or admin key.`,
            next,
          ),
          403,
        );
      await startSession(c, database, principal, clock());
      c.get('log').info({ keyId: principal.keyId }, 'ui sign-in');
      return c.redirect(next, 303);
    },
  );
  app.post('/ui/logout', (c) => {
    endSession(c);
    return c.redirect('/ui/login', 303);
  });
  app.get('/ui/reports', async (c) => {
    const who = await reader(c);
    return who instanceof Response ? who : page(c, reportsPage(manifest(reportsDir), who));
  });
  app.get('/ui/experiments', async (c) => {
    const who = await reader(c);
    if (who instanceof Response) return who;
    const rendered = new Set(
      manifest(reportsDir)
        .filter((r) => r.status === 'ok')
        .map((r) => r.file),
    );
    return page(c, experimentsPage(await listExperiments(database.db), rendered, who));
  });
  app.get('/reports', (c) => c.redirect('/reports/index.html', 302));
  app.get('/reports/:file', async (c) => {
    const who = await reader(c);
    if (who instanceof Response) return who;
    const name = c.req.param('file');
    const file = path.join(reportsDir, name);
    if (!REPORT_FILE.test(name) || !fs.existsSync(file))
      throw new AppError('not-found', `No rendered report "${name}" (run attune reports render).`);
    const type = name.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8';
    return c.body(fs.readFileSync(file), 200, {
      ...PAGE_HEADERS,
      'content-type': type,
      'cache-control': 'no-cache',
    });
  });
}
