// Headless Chromium driven by playwright-core: the system's (Debian's package, as CI installs it)
// when there is one, else the one npm installed (@sparticuz/chromium, see npm-chromium.ts).
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { unpackChromium } from './npm-chromium.js';

export const CHROMIUM = process.env.ATTUNE_CHROMIUM ?? '/usr/bin/chromium';
/** ATTUNE_CHROMIUM_SKIP_SYSTEM=1 hides the system Chromium, to prove the npm fallback. */
export const SKIP_SYSTEM_CHROMIUM = process.env.ATTUNE_CHROMIUM_SKIP_SYSTEM === '1';
export const ARTIFACTS = 'test-artifacts/screenshots';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export interface LaunchOptions {
  /** Use npm's Chromium even when the system has one. */
  skipSystem?: boolean;
  /** Where npm's Chromium is unpacked (default: the system's temporary directory). */
  unpackRoot?: string;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const skipSystem = options.skipSystem ?? SKIP_SYSTEM_CHROMIUM;
  if (!skipSystem && fs.existsSync(CHROMIUM))
    return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const npm = await unpackChromium(options.unpackRoot);
  return chromium.launch({
    executablePath: npm.executablePath,
    env: { ...process.env, ...npm.env },
    // npm's build is chrome-headless-shell; it runs without a zygote or sandbox.
    args: [...ARGS, '--no-zygote', '--font-render-hinting=none'],
  });
}
