// The repository root, found from this file whether it runs from src/ (tsx) or dist/src/ (built).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'sql'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Attune installation (package.json beside sql/).');
    dir = parent;
  }
}

export const ROOT_DIR = findRoot();
export const fromRoot = (...parts: string[]): string => path.join(ROOT_DIR, ...parts);
