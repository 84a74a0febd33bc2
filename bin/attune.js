#!/usr/bin/env node
// Runs the CLI from the TypeScript sources (through tsx), or from dist/ after `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/src/cli/index.js', import.meta.url));
let entry;
if (existsSync(built) && !process.env.ATTUNE_FROM_SOURCE) {
  entry = pathToFileURL(built).href;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/index.ts', import.meta.url).href;
}
const { main } = await import(entry);
const code = await main(process.argv.slice(2));
process.exitCode = code;
