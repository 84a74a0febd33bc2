// /ui/briefs: the review queue and the review page for SEO editors (editor and admin keys), with the same
// session, CSP and escaping as the other /ui pages. Forms post back here; each names the version the
// editor read, so a stale form gets the current brief back with a 412 and the editor's text kept.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS, type Principal } from '../platform/http/env.js';
import { AppError } from '../platform/errors.js';
import { html } from '../reports/html.js';
import {
  BRIEF_SECTIONS,
  BRIEF_STATUSES,
  BriefRequestSchema,
  briefHistory,
  createBrief,
  decideBrief,
  editBrief,
  getBrief,
  listBriefs,
  OFFLINE_NOTE,
  requestChanges,
  type BriefSection,
  type BriefStatus,
  type GenerationDeps,
} from '../content/index.js';
import { pagePrincipal } from './session.js';
import { layout } from './pages.js';
import { PAGE_HEADERS } from './routes.js';
import { briefPage, parseOutlineText, queuePage, type PageMessage, type QueueFilter } from './brief-pages.js';

const editors: readonly string[] = ROLE_GROUPS.editors;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A brief form with a pasted competitor page can be large; the API's own limit is the same. */
const FORM_BYTES = 256 * 1024;

type Status = 200 | 400 | 403 | 404 | 409 | 412 | 422 | 502;
const page = (c: Context, body: string, status: Status = 200) => c.html(body, status, PAGE_HEADERS);

const statusOf = (err: AppError): Status => {
  const s = err.status;
  return s === 400 || s === 404 || s === 409 || s === 412 || s === 422 || s === 502 ? s : 400;
};
const explain = (err: AppError) =>
  [err.message, ...err.errors.map((e) => `${e.path}: ${e.message}`)].join(' ');

export function registerUiBriefRoutes(app: Api, deps: GenerationDeps): void {
  const offline = deps.generator.kind === 'offline' ? OFFLINE_NOTE : null;

  async function editor(c: Context): Promise<Principal | Response> {
    const principal = await pagePrincipal(c, deps.database, deps.now());
    if (!principal) return c.redirect(`/ui/login?next=${encodeURIComponent(c.req.path)}`, 303);
    if (!editors.includes(principal.role))
      return page(
        c,
        layout(
          'Not allowed',
          html`<p>The review queue is for SEO editors: sign in with an editor or admin key (this is a ${principal.role} key).</p>`,
          principal,
        ),
        403,
      );
    // The session cookie is SameSite=Strict; a form posted from another origin is refused as well.
    const origin = c.req.header('origin');
    if (
      c.req.method === 'POST' &&
      origin &&
      URL.canParse(origin) &&
      new URL(origin).host !== c.req.header('host')
    )
      return page(
        c,
        layout('Not allowed', html`<p>Forms are accepted from this site only.</p>`, principal),
        403,
      );
    return principal;
  }

  const form = async (c: Context): Promise<Record<string, string>> => {
    const body = await c.req.parseBody();
    return Object.fromEntries(
      Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  };
  const limit = bodyLimit({
    maxSize: FORM_BYTES,
    onError: () => {
      throw new AppError('payload-too-large', 'The form is too large.');
    },
  });
  const show = async (
    c: Context,
    who: Principal,
    id: string,
    message: PageMessage,
    status: Status = 200,
    draft?: Record<string, string>,
  ) =>
    page(
      c,
      briefPage(
        await getBrief(deps.database, id),
        await briefHistory(deps.database, id),
        who,
        message,
        draft,
      ),
      status,
    );

  app.get('/ui/briefs', async (c) => {
    const who = await editor(c);
    if (who instanceof Response) return who;
    const q = c.req.query();
    const filter: QueueFilter = {
      ...((BRIEF_STATUSES as readonly string[]).includes(q.status ?? '') ? { status: q.status } : {}),
      ...(q.language === 'en' || q.language === 'de' ? { language: q.language } : {}),
      ...(q.q?.trim() ? { q: q.q.trim().slice(0, 100) } : {}),
    };
    const briefs = await listBriefs(deps.database, {
      brand: 'kettle-crane',
      limit: 200,
      ...(filter.status ? { status: filter.status as BriefStatus } : {}),
      ...(filter.language ? { language: filter.language } : {}),
      ...(filter.q ? { q: filter.q } : {}),
    });
    return page(c, queuePage(briefs, filter, who, offline));
  });

  app.post('/ui/briefs', limit, async (c) => {
    const who = await editor(c);
    if (who instanceof Response) return who;
    const f = await form(c);
    const parsed = BriefRequestSchema.safeParse({
      keyword: f.keyword ?? '',
      ...(f.language === 'en' || f.language === 'de' ? { language: f.language } : {}),
      competitorPages: f.competitorText?.trim()
        ? [{ url: f.competitorUrl?.trim() || 'https://competitor.invalid/', text: f.competitorText }]
        : [],
    });
    const fail = (text: string, status: Status) =>
      page(
        c,
        layout(
          'Brief not created',
          html`<p class="error" role="alert">${text}</p><p><a href="/ui/briefs#new">Back to the queue</a></p>`,
          who,
        ),
        status,
      );
    if (!parsed.success)
      return fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 400);
    try {
      const b = await createBrief(deps, parsed.data, `key:${who.keyId}`);
      return c.redirect(`/ui/briefs/${b.id}?done=generated`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return fail(explain(err), statusOf(err));
      if (err instanceof AppError && err.code === 'generation-failed') return fail(explain(err), 502);
      throw err;
    }
  });

  app.get('/ui/briefs/:id', async (c) => {
    const who = await editor(c);
    if (who instanceof Response) return who;
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new AppError('not-found', `No brief ${id}.`);
    const done = c.req.query('done');
    const message: PageMessage =
      done && /^[a-z-]{1,30}$/.test(done) ? { kind: 'info', text: `Done: ${done.replace('-', ' ')}.` } : null;
    return show(c, who, id, message);
  });

  /** Runs one review action; on a problem, shows the current brief with the reason and the editor's text. */
  const action = (
    name: string,
    run: (id: string, version: number, f: Record<string, string>, actor: string) => Promise<unknown>,
  ) =>
    app.post(`/ui/briefs/:id/${name}`, limit, async (c) => {
      const who = await editor(c);
      if (who instanceof Response) return who;
      const id = c.req.param('id');
      if (!UUID.test(id)) throw new AppError('not-found', `No brief ${id}.`);
      const f = await form(c);
      const version = Number(f.version);
      try {
        if (!Number.isInteger(version) || version < 1)
          throw new AppError('precondition-required', 'The form has no version; reload the page.');
        await run(id, version, f, `key:${who.keyId}`);
        return c.redirect(`/ui/briefs/${id}?done=${name}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || (err.status >= 500 && err.code !== 'generation-failed')) throw err;
        const text =
          err.code === 'precondition-failed'
            ? `Not saved: someone changed this brief while you were reading it. Below is the current version; your text is kept in the form.`
            : `Not saved: ${explain(err)}`;
        const draft =
          name === 'edit' ? f : name === 'request-changes' ? { changeReason: f.reason ?? '' } : undefined;
        return show(c, who, id, { kind: 'error', text }, statusOf(err), draft);
      }
    });

  action('edit', async (id, version, f, actor) => {
    const lines = (s: string | undefined) =>
      (s ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    const outline = parseOutlineText(f.outline ?? '');
    if ('problem' in outline) throw new AppError('validation-failed', `Outline: ${outline.problem}.`);
    const current = await getBrief(deps.database, id);
    const min = Number(f.wordsMin);
    const max = Number(f.wordsMax);
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max)
      throw new AppError(
        'validation-failed',
        'Words: give two whole numbers, the first not above the second.',
      );
    await editBrief(
      deps,
      id,
      version,
      {
        titles: lines(f.titles),
        h1s: lines(f.h1s),
        metaDescriptions: lines(f.metaDescriptions),
        outline: outline.outline,
        wordCount: { ...current.brief.wordCount, min, max },
      },
      actor,
    );
  });
  action('request-changes', async (id, version, f, actor) => {
    const section = f.section as BriefSection;
    if (!(BRIEF_SECTIONS as readonly string[]).includes(section))
      throw new AppError('validation-failed', 'Pick a section.');
    const reason = (f.reason ?? '').trim();
    if (reason.length < 3) throw new AppError('validation-failed', 'Give a reason of at least 3 characters.');
    await requestChanges(deps, id, version, section, reason.slice(0, 1000), actor);
  });
  action('approve', (id, version, f, actor) =>
    decideBrief(deps, id, version, 'approved', f.reason?.trim().slice(0, 1000) || null, actor),
  );
  action('reject', async (id, version, f, actor) => {
    const reason = (f.reason ?? '').trim();
    if (reason.length < 3)
      throw new AppError('validation-failed', 'Give a reason for rejecting (at least 3 characters).');
    await decideBrief(deps, id, version, 'rejected', reason.slice(0, 1000), actor);
  });
}
