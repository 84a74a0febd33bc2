// The API's wiring of the LLM judge into generation, end to end, in both database modes: with
// OPENAI_API_KEY set, createApi builds the OpenAI embedder, the generator and one judge; a brand page is
// indexed and a brief generated through the HTTP routes, every model call going through the real
// `openai` SDK to a loopback OpenAI-compatible server (chat completions and embeddings). A retrieved chunk
// carries an injection; the judge's verdicts must reach the stored brief, the audit rows and the review
// page. Without the judge handed to generation (src/api.ts), these verdicts are missing and this fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { startFakeOpenAi, type FakeOpenAi, type Reply } from './helpers/fake-openai.js';
import { ATTACK, BAND, byText, CLEAN, COPY_FLAGGED, isJudgeRequest, PAGE } from './helpers/judge-texts.js';
import { OPENAI_EMBEDDING_MODEL } from '../src/content/embedder.js';
import type { StoredBrief } from '../src/content/review/brief-store.js';

/** The brief's texts as the model drafts them, citing the one passage left after the chunk checks. */
const DRAFT = JSON.stringify({
  titles: ['Sencha: steamed green tea from Japan'],
  h1s: ['How to brew sencha'],
  metaDescriptions: ['Sencha is steamed green tea from Japan; here is how to brew it.'],
  outline: [
    {
      heading: 'Brewing sencha',
      points: [{ text: 'Brew 3 g of leaf in 250 ml of water at 70 °C for two minutes.', sources: ['s1'] }],
      subsections: [],
    },
  ],
});
const answer = (body: FakeOpenAi['requests'][number]['body']): Reply =>
  isJudgeRequest({ body }) ? byText(body) : { content: DRAFT };

describe.each(DATABASE_MODES)('the API hands its LLM judge to generation (%s database)', (mode) => {
  let t: TestContext;
  let llm: FakeOpenAi;
  let editor: string;

  beforeAll(async () => {
    llm = await startFakeOpenAi();
    t = await openTestServices(mode, {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'fake-model' },
    });
    editor = await t.keyFor('editor');
  }, 180_000);
  afterAll(async () => {
    await llm?.close();
    await t?.close();
  });

  it('indexes through the API with the OpenAI embedder (the fake server’s embeddings endpoint)', async () => {
    const res = await t.request('/v1/content/documents', {
      key: editor,
      json: { documents: [{ text: PAGE, format: 'markdown' }] },
    });
    expect(res.status).toBe(200);
    expect(llm.embedded).toHaveLength(1);
    expect(llm.embedded[0]).toHaveLength(4);
    const chunks = await t.services.database.sql<{ text: string; embedder: string; dimension: number }[]>`
      select text, embedder, dimension from content_chunks order by ordinal`;
    expect(chunks.map((c) => c.text)).toEqual([CLEAN, ATTACK, COPY_FLAGGED, BAND]);
    for (const c of chunks)
      expect([c.embedder, c.dimension]).toEqual([`openai:${OPENAI_EMBEDDING_MODEL}@1`, 1536]);
    // The vector branch compares the query's fake embedding with the chunks': every chunk shares "sencha".
    const found = await t.request('/v1/content/search', {
      key: editor,
      json: { query: 'sencha', limit: 10 },
    });
    expect(found.status).toBe(200);
    const results = ((await found.json()) as { results: { text: string; vectorRank: number | null }[] })
      .results;
    expect(results.map((r) => r.text).sort()).toEqual([CLEAN, ATTACK, COPY_FLAGGED, BAND].sort());
    expect(results.every((r) => r.vectorRank !== null)).toBe(true);
  });

  it('generates a brief whose retrieved chunks the judge reviewed: stored, audited, on the review page', async () => {
    llm.respondWith(answer);
    const embeddedBefore = llm.embedded.length;
    const res = await t.request('/v1/briefs', { key: editor, json: { keyword: 'sencha' } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as StoredBrief;
    // The query was embedded by the API's embedder; retrieval found every chunk.
    expect(llm.embedded.slice(embeddedBefore)).toEqual([['sencha']]);
    expect(created.generator).toMatchObject({ kind: 'openai', label: 'openai:fake-model' });

    // The judge saw the three chunks the classifier flagged or scored in the band; the model drafted the texts.
    const judged = llm.requests.filter(isJudgeRequest).map((r) => r.body.messages![1]!.content);
    expect(judged).toHaveLength(3);
    for (const text of [ATTACK, COPY_FLAGGED, BAND]) expect(judged.some((j) => j.includes(text))).toBe(true);
    expect(llm.requests.filter((r) => !isJudgeRequest(r)).length).toBeGreaterThanOrEqual(1);

    // The stored brief carries the judge's verdicts on its chunk findings; only the clean chunk is a source.
    const stored = (await (
      await t.request(`/v1/briefs/${created.id}`, { key: editor })
    ).json()) as StoredBrief;
    const verdicts = stored.findings
      .filter((f) => f.stage === 'chunk' && f.check === 'injection')
      .map((f) => [f.rule, f.action, f.judge?.verdict, f.judge?.model, f.judge?.reason])
      .sort();
    expect(verdicts).toEqual([
      ['injection.classifier', 'block', 'agreed', 'fake-model', 'orders the model to leak its prompt'],
      ['injection.classifier', 'block', 'disputed', 'fake-model', 'ordinary marketing copy'],
      ['injection.judge', 'block', 'rescued', 'fake-model', 'orders the model to leak its prompt'],
    ]);
    expect(stored.sources.map((s) => s.text)).toEqual([CLEAN]);
    expect(stored.brief.outline[0]!.points[0]!.sources).toEqual(['s1']);

    // The audit rows: the judge's part beside the classifier's score, never the reason or the text.
    const rows = await t.services.database.sql<
      {
        stage: string;
        action: string;
        rules: string[];
        verdict: string | null;
        model: string | null;
        row: string;
      }[]
    >`
      select stage, action, rules, judge_verdict as verdict, judge_model as model, to_jsonb(d)::text as row
      from guardrail_decisions d where source = 'generation:brief' and "check" = 'injection' order by id`;
    expect(
      rows
        .filter((r) => r.verdict)
        .map((r) => [r.stage, r.action, r.rules, r.verdict, r.model])
        .sort(),
    ).toEqual([
      ['chunk', 'block', ['injection.classifier'], 'agreed', 'fake-model'],
      ['chunk', 'block', ['injection.classifier'], 'disputed', 'fake-model'],
      ['chunk', 'block', ['injection.judge'], 'rescued', 'fake-model'],
    ]);
    expect(
      rows
        .filter((r) => !r.verdict)
        .map((r) => [r.stage, r.action])
        .sort(),
    ).toEqual([
      ['chunk', 'pass'],
      ['input', 'pass'],
    ]);
    const audit = rows.map((r) => r.row).join(' ');
    expect(audit).not.toMatch(/ordinary marketing copy|leak its prompt|previous instructions|worries/);

    // The review page shows the dispute and the rescue under their findings, with the judge's model.
    const page = await t.request(`/ui/briefs/${created.id}`, { key: editor });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('LLM judge disputes');
    expect(html).toContain('Flagged by the LLM judge');
    expect(html).toContain('ordinary marketing copy');
    expect(html).toContain('(fake-model)');
  });
});
