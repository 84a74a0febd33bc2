// The LLM judge's second opinion in content generation and in the scan API, in both database modes:
// a brief's retrieved chunks (the classifier flags one the judge agrees on, flags copy the judge
// disputes, scores one in the band the judge rescues), a judge that fails, no judge at all; the judge's
// part in guardrail_decisions, on the brief, on the review page and in the guardrail report. The judge
// is the product's (scanJudgeFor: the real `openai` SDK) pointed at a loopback OpenAI-compatible server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/fake-openai.js';
import { ATTACK, BAND, byText, CLEAN, COPY_FLAGGED, isJudgeRequest, PAGE } from './helpers/judge-texts.js';
import { renderParsed } from './helpers/report-world.js';
import { addDocuments } from '../src/content/corpus.js';
import { createLocalEmbedder } from '../src/content/embed-local.js';
import { createGuardrails, type InjectionJudge } from '../src/guardrails/index.js';
import { defaultBrandKit } from '../src/content/generate/brand-kit.js';
import { createGenerator } from '../src/content/generate/generator.js';
import type { GenerationDeps } from '../src/content/generate/deps.js';
import { BriefRequestSchema } from '../src/content/generate/brief.js';
import { CreativeRequestSchema } from '../src/content/generate/variants.js';
import { createBrief, requestChanges } from '../src/content/review/briefs.js';
import { createCreativeSet } from '../src/content/review/creatives.js';
import { briefPage } from '../src/ui/brief-pages.js';
import { scanJudgeFor } from '../src/scan-judge.js';

const NOW = new Date('2026-12-01T00:00:00Z');

type Row = {
  source: string;
  stage: string;
  check: string;
  action: string;
  rules: string[];
  score: number | null;
  judge_verdict: string | null;
  judge_model: string | null;
  judge_confidence: number | null;
  judge_error: string | null;
};

describe.each(DATABASE_MODES)('the LLM judge in generation and the scan on the %s database', (mode) => {
  let t: TestContext;
  let llm: FakeOpenAi;
  let judge: InjectionJudge;

  beforeAll(async () => {
    llm = await startFakeOpenAi();
    // The API (scan route and generation) builds its judge from these settings, as a deployment would.
    t = await openTestServices(mode, {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'fake-model' },
    });
    const added = await addDocuments(
      t.services.database,
      createLocalEmbedder(),
      [{ text: PAGE, format: 'markdown' }],
      NOW,
    );
    expect(added.filter((r) => r.error)).toEqual([]);
    judge = scanJudgeFor(t.services.config.openai)!;
  }, 180_000);
  afterAll(async () => {
    await llm?.close();
    await t?.close();
  });

  /** Generation as the API wires it, with the offline composer so the judge is the only LLM call. */
  const depsWith = (j: InjectionJudge | undefined): GenerationDeps => {
    const kit = defaultBrandKit();
    return {
      database: t.services.database,
      embedder: createLocalEmbedder(),
      guardrails: createGuardrails({
        styleGuide: kit.styleGuide,
        now: () => NOW,
        ...(j ? { judge: j } : {}),
      }),
      generator: createGenerator({ ...t.services.config.openai, apiKey: undefined }),
      kit,
      now: () => NOW,
    };
  };
  const rowsOf = (source: string) =>
    t.services.database.sql<Row[]>`
      select source, stage, "check", action, rules, score, judge_verdict, judge_model, judge_confidence, judge_error
      from guardrail_decisions where source = ${source} and "check" = 'injection' order by id`;
  const chunkFindings = (b: {
    findings: {
      stage: string;
      check: string;
      rule: string;
      action: string;
      section: string;
      judge?: { verdict: string };
    }[];
  }) =>
    b.findings
      .filter((f) => f.stage === 'chunk' && f.check === 'injection')
      .map((f) => [f.rule, f.action, f.judge?.verdict ?? null]);

  it('checks the chunk texts and their scores against the threshold and band the tests rely on', async () => {
    const chunks = await t.services.database.sql<
      { text: string }[]
    >`select text from content_chunks order by ordinal`;
    expect(chunks.map((c) => c.text)).toEqual([CLEAN, ATTACK, COPY_FLAGGED, BAND]);
    const g = createGuardrails();
    expect(g.injectionScore(ATTACK)).toBeGreaterThanOrEqual(g.injectionThreshold);
    expect(g.injectionScore(COPY_FLAGGED)).toBeGreaterThanOrEqual(g.injectionThreshold);
    expect(g.injectionScore(BAND)).toBeLessThan(g.injectionThreshold);
    expect(g.injectionScore(BAND)).toBeGreaterThanOrEqual(g.injectionThreshold - 0.15);
    expect(g.injectionScore(CLEAN)).toBeLessThan(g.injectionThreshold - 0.15);
    expect(judge.model).toBe('fake-model');
  });

  it('judges a brief’s chunks: agrees, disputes (still blocked), rescues; stored, audited and shown', async () => {
    llm.respondWith(byText);
    const b = await createBrief(depsWith(judge), BriefRequestSchema.parse({ keyword: 'sencha' }), 'key:test');
    // The three chunks the classifier flags or scores in the band; not the clean one, not the keyword.
    expect(llm.requests).toHaveLength(3);
    expect(llm.requests.every(isJudgeRequest)).toBe(true);
    expect(chunkFindings(b).sort()).toEqual([
      ['injection.classifier', 'block', 'agreed'],
      ['injection.classifier', 'block', 'disputed'],
      ['injection.judge', 'block', 'rescued'],
    ]);
    expect(b.sources.map((s) => s.text)).toEqual([CLEAN]);
    const disputed = b.findings.find((f) => f.judge?.verdict === 'disputed')!;
    expect(disputed.judge).toEqual({
      verdict: 'disputed',
      model: 'fake-model',
      confidence: 0.8,
      reason: 'ordinary marketing copy',
    });

    const rows = await rowsOf('generation:brief');
    expect(
      rows
        .filter((r) => r.judge_verdict === null)
        .map((r) => r.stage)
        .sort(),
    ).toEqual(['chunk', 'input']);
    const judged = rows.filter((r) => r.judge_verdict !== null);
    expect(
      judged.map((r) => [r.stage, r.action, r.rules, r.judge_verdict, r.judge_model, r.judge_error]).sort(),
    ).toEqual([
      ['chunk', 'block', ['injection.classifier'], 'agreed', 'fake-model', null],
      ['chunk', 'block', ['injection.classifier'], 'disputed', 'fake-model', null],
      ['chunk', 'block', ['injection.judge'], 'rescued', 'fake-model', null],
    ]);
    const rescued = judged.find((r) => r.judge_verdict === 'rescued')!;
    expect(rescued.score).toBeCloseTo(createGuardrails().injectionScore(BAND), 5);
    expect(rescued.judge_confidence).toBeCloseTo(0.9, 5);

    const page = briefPage(b, [], { keyId: 'k', name: 'editor', role: 'editor' }, null);
    expect(page).toContain('LLM judge disputes');
    expect(page).toContain('Flagged by the LLM judge');
    expect(page).toContain('ordinary marketing copy');
    expect(page).toContain('(fake-model)');
  });

  it('keeps the classifier’s verdicts when the judge fails, and records why', async () => {
    // Every answer malformed: the client's one re-ask fails too.
    llm.respondWith(() => ({ content: 'not json' }));
    const b = await createBrief(
      depsWith(judge),
      BriefRequestSchema.parse({ keyword: 'sencha brewing' }),
      'key:test',
    );
    expect(llm.requests).toHaveLength(6);
    expect(chunkFindings(b).sort()).toEqual([
      ['injection.classifier', 'block', 'error'],
      ['injection.classifier', 'block', 'error'],
    ]);
    expect(b.sources.map((s) => s.text).sort()).toEqual([BAND, CLEAN].sort());
    const page = briefPage(b, [], { keyId: 'k', name: 'editor', role: 'editor' }, null);
    expect(page).not.toContain('LLM judge');
    const rows = (await rowsOf('generation:brief')).filter((r) => r.judge_verdict === 'error');
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.judge_error).toMatch(/did not validate twice/);
    expect(rows.map((r) => r.action).sort()).toEqual(['block', 'block', 'pass']);
  });

  it('refuses a disputed keyword, saying the judge disagrees; creatives judge their chunks too', async () => {
    llm.respondWith(byText);
    const err = await createBrief(
      depsWith(judge),
      BriefRequestSchema.parse({ keyword: COPY_FLAGGED }),
      'key:test',
    ).then(
      () => null,
      (e: unknown) => e as { status: number; errors: { path: string; message: string; code: string }[] },
    );
    expect(err?.status).toBe(422);
    expect(err?.errors[0]).toMatchObject({ path: 'keyword', code: 'injection.classifier' });
    expect(err?.errors[0]!.message).toMatch(/the LLM judge disagrees: ordinary marketing copy/);

    llm.respondWith(byText);
    const set = await createCreativeSet(
      depsWith(judge),
      CreativeRequestSchema.parse({ kind: 'ad', topic: 'sencha', n: 1 }),
      'key:test',
    );
    expect(chunkFindings(set).sort()).toEqual([
      ['injection.classifier', 'block', 'agreed'],
      ['injection.classifier', 'block', 'disputed'],
      ['injection.judge', 'block', 'rescued'],
    ]);
    expect((await rowsOf('generation:variants')).filter((r) => r.judge_verdict).length).toBe(3);
  });

  it('without an LLM asks nothing and decides by the classifier alone, as before', async () => {
    llm.respondWith(byText);
    const judgedBefore = (await rowsOf('generation:brief')).filter((r) => r.judge_verdict !== null).length;
    const b = await createBrief(
      depsWith(undefined),
      BriefRequestSchema.parse({ keyword: 'sencha taste' }),
      'key:test',
    );
    expect(llm.requests).toHaveLength(0);
    expect(chunkFindings(b).sort()).toEqual([
      ['injection.classifier', 'block', null],
      ['injection.classifier', 'block', null],
    ]);
    expect(JSON.stringify(b.findings)).not.toContain('judge');
    expect(b.sources.map((s) => s.text).sort()).toEqual([BAND, CLEAN].sort());
    const judgedAfter = (await rowsOf('generation:brief')).filter((r) => r.judge_verdict !== null).length;
    expect(judgedBefore).toBeGreaterThan(0); // the judged briefs above
    expect(judgedAfter).toBe(judgedBefore); // this one added none
  });

  /** The audit rows written after row `mark`, whole (`text`: the row as JSON, to show no input text is kept). */
  const decisionsAfter = (mark: number) =>
    t.services.database.sql<(Row & { spans: [number, number][]; text: string })[]>`
      select source, stage, "check", action, rules, spans, score, judge_verdict, judge_model, judge_confidence,
             judge_error, to_jsonb(d)::text as text
      from guardrail_decisions d where id > ${mark} order by id`;
  const lastDecision = async () =>
    Number(
      (
        await t.services.database.sql<{ id: string }[]>`
          select coalesce(max(id), 0)::text as id from guardrail_decisions`
      )[0]!.id,
    );
  const summary = (rows: Row[]) =>
    rows.map((r) => [r.source, r.stage, r.check, r.action, r.rules, r.judge_verdict, r.judge_model]);
  /** None of the refused text's longer words appears in any audit row. */
  const expectNoTextOf = (rows: { text: string }[], refused: string) => {
    const words = refused.toLowerCase().match(/\p{L}{5,}/gu)!;
    expect(words.length).toBeGreaterThan(3);
    for (const r of rows) for (const w of words) expect(r.text.toLowerCase()).not.toContain(w);
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as { status: number; code: string; errors: { path: string; code: string }[] },
    );

  it('audits a refused keyword, topic and editor’s reason through the API with the judge’s part; answers as before', async () => {
    llm.respondWith(byText);
    const editor = await t.keyFor('editor');
    const score = (text: string) => createGuardrails().injectionScore(text);
    const problem = async (res: Response) => {
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      return (await res.json()) as Record<string, unknown>;
    };

    // A keyword the classifier flags and the judge agrees on.
    const briefCount = async () => (await t.services.database.sql`select 1 from content_briefs`).length;
    const briefsBefore = await briefCount();
    let mark = await lastDecision();
    let res = await t.request('/v1/briefs', { key: editor, json: { keyword: ATTACK } });
    expect(await problem(res)).toEqual({
      type: 'https://attune.dev/problems/unprocessable',
      title: 'The request cannot be processed',
      status: 422,
      detail: 'The keyword was refused by the input guardrails.',
      instance: '/v1/briefs',
      requestId: expect.any(String) as unknown,
      errors: [
        {
          path: 'keyword',
          message: expect.stringMatching(/injection/i) as unknown,
          code: 'injection.classifier',
        },
      ],
    });
    let rows = await decisionsAfter(mark);
    expect(summary(rows)).toEqual([
      ['generation:brief', 'input', 'injection', 'block', ['injection.classifier'], 'agreed', 'fake-model'],
      ['generation:brief', 'input', 'pii', 'pass', [], null, null],
    ]);
    expect(rows[0]!.spans).toHaveLength(1);
    expect(rows[0]!.score).toBeCloseTo(score(ATTACK), 5);
    expect(rows[0]!.judge_confidence).toBeCloseTo(0.9, 5);
    expectNoTextOf(rows, ATTACK);
    expect(await briefCount()).toBe(briefsBefore);

    // A topic the classifier flags and the judge disputes: still refused, the dispute said and audited.
    mark = await lastDecision();
    res = await t.request('/v1/creatives', {
      key: await t.keyFor('marketer'),
      json: { kind: 'ad', topic: COPY_FLAGGED },
    });
    const topic = await problem(res);
    expect(topic).toMatchObject({
      detail: 'The topic was refused by the input guardrails.',
      errors: [{ path: 'topic', code: 'injection.classifier' }],
    });
    expect((topic.errors as { message: string }[])[0]!.message).toMatch(
      /the LLM judge disagrees: ordinary marketing copy/,
    );
    rows = await decisionsAfter(mark);
    expect(summary(rows)).toEqual([
      [
        'generation:variants',
        'input',
        'injection',
        'block',
        ['injection.classifier'],
        'disputed',
        'fake-model',
      ],
      ['generation:variants', 'input', 'pii', 'pass', [], null, null],
    ]);
    expect(rows[0]!.score).toBeCloseTo(score(COPY_FLAGGED), 5);
    expectNoTextOf(rows, COPY_FLAGGED);

    // An editor's reason the classifier scores just below its threshold and the judge flags (a rescue).
    const b = await createBrief(
      depsWith(undefined),
      BriefRequestSchema.parse({ keyword: 'sencha' }),
      'key:t',
    );
    mark = await lastDecision();
    res = await t.request(`/v1/briefs/${b.id}/request-changes`, {
      key: editor,
      json: { version: 1, section: 'outline', reason: BAND },
    });
    expect(await problem(res)).toMatchObject({
      detail: 'The reason was refused by the input guardrails.',
      errors: [{ path: 'reason', code: 'injection.judge' }],
    });
    rows = await decisionsAfter(mark);
    expect(summary(rows)).toEqual([
      [
        'generation:brief-section',
        'input',
        'injection',
        'block',
        ['injection.judge'],
        'rescued',
        'fake-model',
      ],
      ['generation:brief-section', 'input', 'pii', 'pass', [], null, null],
    ]);
    expect(rows[0]!.score).toBeCloseTo(score(BAND), 5);
    expectNoTextOf(rows, BAND);
    const after = await t.request(`/v1/briefs/${b.id}`, { key: editor });
    expect(((await after.json()) as { version: number }).version).toBe(1);
  });

  it('audits refusals when the judge fails (its error recorded) and without a judge', async () => {
    llm.respondWith(() => ({ content: 'not json' }));
    let mark = await lastDecision();
    const failed = await refusal(
      createBrief(depsWith(judge), BriefRequestSchema.parse({ keyword: ATTACK }), 'key:test'),
    );
    expect(failed).toMatchObject({
      status: 422,
      errors: [{ path: 'keyword', code: 'injection.classifier' }],
    });
    let rows = await decisionsAfter(mark);
    expect(summary(rows)).toEqual([
      ['generation:brief', 'input', 'injection', 'block', ['injection.classifier'], 'error', 'fake-model'],
      ['generation:brief', 'input', 'pii', 'pass', [], null, null],
    ]);
    expect(rows[0]!.judge_error).toMatch(/did not validate twice/);
    expectNoTextOf(rows, ATTACK);

    // No judge: the classifier's refusals, audited the same way with no judge columns.
    llm.respondWith(byText);
    const b = await createBrief(
      depsWith(undefined),
      BriefRequestSchema.parse({ keyword: 'sencha' }),
      'key:t',
    );
    mark = await lastDecision();
    const refused = [
      await refusal(
        createBrief(depsWith(undefined), BriefRequestSchema.parse({ keyword: COPY_FLAGGED }), 'k'),
      ),
      await refusal(
        createCreativeSet(
          depsWith(undefined),
          CreativeRequestSchema.parse({ kind: 'email', topic: ATTACK }),
          'k',
        ),
      ),
      await refusal(requestChanges(depsWith(undefined), b.id, 1, 'titles', COPY_FLAGGED, 'k')),
    ];
    expect(refused.map((e) => [e?.status, e?.errors[0]?.path, e?.errors[0]?.code])).toEqual([
      [422, 'keyword', 'injection.classifier'],
      [422, 'topic', 'injection.classifier'],
      [422, 'reason', 'injection.classifier'],
    ]);
    expect(llm.requests).toHaveLength(0);
    rows = await decisionsAfter(mark);
    expect(summary(rows)).toEqual(
      ['generation:brief', 'generation:variants', 'generation:brief-section'].flatMap((source) => [
        [source, 'input', 'injection', 'block', ['injection.classifier'], null, null],
        [source, 'input', 'pii', 'pass', [], null, null],
      ]),
    );
    expect(rows.filter((r) => r.check === 'injection').map((r) => r.score! > 0.9)).toEqual([
      true,
      true,
      true,
    ]);
    expectNoTextOf(rows, `${ATTACK} ${COPY_FLAGGED}`);
  });

  it('records the judge’s part of an API scan beside the classifier’s score', async () => {
    llm.respondWith(byText);
    const res = await t.request('/v1/guardrails/scan', {
      key: await t.keyFor('editor'),
      json: {
        items: [
          { id: 'attack', text: ATTACK },
          { id: 'band', text: BAND, role: 'document' },
          { id: 'clean', text: CLEAN },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: { id: string; injection: { flagged: boolean; source?: string } }[];
    };
    expect(body.results.map((r) => [r.id, r.injection.flagged, r.injection.source ?? null])).toEqual([
      ['attack', true, null],
      ['band', true, 'judge'],
      ['clean', false, null],
    ]);
    const rows = await rowsOf('scan');
    expect(rows.map((r) => [r.stage, r.action, r.rules, r.judge_verdict, r.judge_model])).toEqual([
      ['input', 'block', ['injection.classifier'], 'agreed', 'fake-model'],
      ['chunk', 'block', ['injection.judge'], 'rescued', 'fake-model'],
      ['input', 'pass', [], null, null],
    ]);
    expect(rows[1]!.score).toBeCloseTo(createGuardrails().injectionScore(BAND), 5);
  });

  it('shows the judge’s opinions per stage in the guardrail report', async () => {
    const { text } = await renderParsed({ database: t.services.database, now: NOW }, 'guardrails');
    expect(text).toContain("The LLM judge's second opinions");
    expect(text).toContain('Opinions per stage over the window');
  });
});
