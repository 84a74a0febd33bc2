// The review page as an SEO editor uses it, in headless Chromium: sign in, filter the queue, open a
// brief beside its sources and findings, request changes and approve with the keyboard only, and see a
// second editor's stale save refused with their text kept. Screenshots go to test-artifacts/screenshots/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer } from '../src/server.js';
import { fromRoot } from '../src/platform/paths.js';
import { listDocumentFiles, readDocumentFile } from '../src/content/files.js';
import { addDocuments } from '../src/content/corpus.js';
import { createLocalEmbedder } from '../src/content/embed-local.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { ARTIFACTS, launchBrowser } from './helpers/browser.js';

let t: TestContext;
let browser: Browser;
let origin: string;
let stop: () => Promise<void>;
let editorKey: string;
const HOSTILE = 'cold brew <script>alert("x")</script> & "quotes"';
const problems: string[] = [];

async function signedIn(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) problems.push(`request to ${r.url()}`);
  });
  await page.goto(`${origin}/ui/briefs`);
  expect(page.url()).toContain('/ui/login');
  await page.fill('#key', editorKey);
  await page.press('#key', 'Enter');
  await page.waitForURL(`${origin}/ui/briefs`);
  return { context, page };
}

/** Presses Tab until the element with this id has focus: proves it is reachable by keyboard. */
async function tabTo(page: Page, id: string, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate<string>('document.activeElement?.id ?? ""')) === id) return;
  }
  throw new Error(`#${id} is not reachable with Tab`);
}

beforeAll(async () => {
  t = await openTestServices('embedded', { env: { PORT: '0', ATTUNE_WORKERS: 'off' } });
  await addDocuments(
    t.services.database,
    createLocalEmbedder(),
    listDocumentFiles([fromRoot('fixtures/brand/pages')]).map((f) => readDocumentFile(f)),
    new Date(),
  );
  editorKey = await t.keyFor('editor');
  for (const keyword of ['green tea temperature', HOSTILE, 'grüner Tee Temperatur']) {
    const res = await t.request('/v1/briefs', { key: editorKey, json: { keyword } });
    expect(res.status).toBe(201);
  }
  const running = await startServer(t.services);
  origin = running.url;
  stop = running.close;
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stop?.();
  await t?.close();
});

describe('/ui/briefs in headless Chromium', () => {
  it('signs in, sends the page headers, filters the queue and escapes a hostile keyword', async () => {
    const { context, page } = await signedIn();
    const res = await page.goto(`${origin}/ui/briefs`);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => page.locator('.notice.warn').textContent()).toMatch(/Offline generator/);
    // The hostile keyword is text in a link, never markup.
    expect(await page.locator('a', { hasText: '<script>alert("x")</script>' }).count()).toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'briefs-queue.png'), fullPage: true });
    await page.selectOption('#f-language', 'de');
    await page.click('button:has-text("Filter")');
    expect(page.url()).toContain('language=de');
    expect(await page.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('grüner Tee Temperatur'),
    ]);
    await context.close();
  });

  it('shows a brief beside its sources and findings; keyboard only: request changes, then approve', async () => {
    const { context, page } = await signedIn();
    await page.click('a:has-text("green tea temperature")');
    await page.waitForURL(/\/ui\/briefs\/[0-9a-f-]{36}$/);
    const url = page.url();
    expect(await page.locator('aside .source').count()).toBeGreaterThan(2);
    expect(await page.locator('h2#findings').textContent()).toMatch(/Guardrail findings/);
    expect(await page.locator('.badge.offline').first().textContent()).toBe('offline draft');
    // A citation link jumps to its source in the side panel.
    const cite = page.locator('main .cite a').first();
    const target = await cite.getAttribute('href');
    expect(await page.locator(target!).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'brief-review.png'), fullPage: true });

    await tabTo(page, 'r-section');
    await page.keyboard.press('ArrowDown'); // titles → h1s
    await page.keyboard.press('ArrowDown'); // → metaDescriptions
    await page.keyboard.press('ArrowDown'); // → outline
    expect(await page.inputValue('#r-section')).toBe('outline');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Add how to store green tea.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}?done=request-changes`);
    expect(await page.locator('.badge', { hasText: 'version 2' }).count()).toBe(1);
    expect(await page.locator('#history + .table-wrap tbody tr').allTextContents()).toEqual([
      expect.stringContaining('generated'),
      expect.stringMatching(/changes-requested.*outline.*Add how to store green tea\./),
    ]);

    await tabTo(page, 'a-note');
    await page.keyboard.type('Ready for the writer.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}?done=approve`);
    expect(await page.locator('.badge.approved').count()).toBe(1);
    expect(await page.locator('form[action$="/approve"]').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'brief-approved.png'), fullPage: true });
    await context.close();
  });

  it('refuses a second editor’s stale save with a 412 page that keeps their text', async () => {
    const a = await signedIn();
    const b = await signedIn();
    for (const p of [a.page, b.page]) {
      await p.click('a:has-text("grüner Tee Temperatur")');
      await p.waitForURL(/\/ui\/briefs\/[0-9a-f-]{36}$/);
    }
    await a.page.fill('#e-titles', 'Grüner Tee: 75–80 °C statt kochend');
    await a.page.click('button:has-text("Save edits")');
    await a.page.waitForURL(/done=edit$/);
    await b.page.fill('#e-titles', 'Titel von Redakteurin B');
    const [response] = await Promise.all([
      b.page.waitForResponse((r) => r.request().method() === 'POST'),
      b.page.click('button:has-text("Save edits")'),
    ]);
    expect(response.status()).toBe(412);
    expect(await b.page.locator('[role=alert]').textContent()).toMatch(/someone changed this brief/);
    expect(await b.page.inputValue('#e-titles')).toBe('Titel von Redakteurin B');
    expect(await b.page.locator('#titles + ol li').first().textContent()).toMatch(
      /^Grüner Tee: 75–80 °C statt kochend/,
    );
    await b.page.screenshot({ path: path.join(ARTIFACTS, 'brief-conflict.png'), fullPage: true });
    await a.context.close();
    await b.context.close();
    // Chromium logs the 412 document itself as a failed load; anything else would be a problem.
    expect(problems.filter((p) => !p.includes('status of 412 (Precondition Failed)'))).toEqual([]);
  });
});
