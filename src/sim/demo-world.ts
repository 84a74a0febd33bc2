// The demo's world: generated once per data directory and scale, then reused, so running the
// demo twice neither regenerates nor duplicates anything.
import fs from 'node:fs';
import path from 'node:path';
import { writeWorld, WORLD_FILES } from './output.js';
import type { WorldTruth } from './world.js';

/** The demo always uses this seed, so every demo shows the same world. */
export const DEMO_SEED = 1;

export function ensureWorld(
  baseDir: string,
  scale: 'small' | 'demo',
  onProgress?: (f: number) => void,
): { dir: string; truth: WorldTruth; reused: boolean } {
  const dir = path.join(baseDir, `${scale}-seed${DEMO_SEED}`);
  const truthFile = path.join(dir, WORLD_FILES.truth);
  if (fs.existsSync(truthFile)) {
    return { dir, truth: JSON.parse(fs.readFileSync(truthFile, 'utf8')) as WorldTruth, reused: true };
  }
  // Write to a temporary folder and rename, so an interrupted run never leaves half a world behind.
  const tmp = `${dir}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const world = writeWorld({ seed: DEMO_SEED, scale, ...(onProgress ? { onProgress } : {}) }, tmp);
  fs.renameSync(tmp, dir);
  return { dir, truth: world.truth, reused: false };
}
