// A machine without a system Chromium runs the browser tests on the one npm installed
// (@sparticuz/chromium). Several test files may unpack it at once: two unpacks racing into one
// fresh directory both end with the same complete browser, which then renders and prints a page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.js';
import { unpackChromium } from './helpers/npm-chromium.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-chromium-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("npm's Chromium", () => {
  it('unpacks safely when two callers race, leaving one complete copy and no staging directory', async () => {
    const [a, b] = await Promise.all([unpackChromium(root), unpackChromium(root)]);
    expect(a.executablePath).toBe(b.executablePath);
    expect(fs.statSync(a.executablePath).mode & 0o111).not.toBe(0);
    expect(fs.readdirSync(root).filter((name) => name.includes('staging'))).toEqual([]);
    expect(fs.existsSync(path.join(path.dirname(a.executablePath), 'lib', 'libnss3.so'))).toBe(true);
  });

  it('drives a page through playwright-core with the system Chromium hidden', async () => {
    const browser = await launchBrowser({ skipSystem: true, unpackRoot: root });
    try {
      expect(browser.version()).toMatch(/^\d+\./);
      const page = await browser.newPage();
      await page.setContent('<h1 style="font-family: sans-serif">Kettle &amp; Crane</h1>');
      const width = await page.evaluate<number>('document.querySelector("h1").getBoundingClientRect().width');
      expect(width).toBeGreaterThan(50); // text laid out with a real font
      const pdf = await page.pdf();
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await browser.close();
    }
  });
});
