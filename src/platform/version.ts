import fs from 'node:fs';
import { fromRoot } from './paths.js';

export const VERSION = (JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')) as { version: string })
  .version;
