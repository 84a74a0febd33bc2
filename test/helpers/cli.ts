import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/attune.js');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Run `attune ...` as a user would, in a child process with the given environment. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`attune ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start `attune serve` and wait until it says where it listens. */
export function startServe(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; url: string; output: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    // Node's flags as `npm start` passes them, plus ATTUNE_SERVE_NODE_ARGS (e.g. "--cpu-prof" to profile a benchmark).
    const nodeArgs = [
      ...productionNodeFlags(),
      ...(process.env.ATTUNE_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ];
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], {
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/\S+?) /.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, closed });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
}

/** The node flags of package.json's `start` script (`node <flags> bin/attune.js serve`): the server runs as in production. */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'),
  ) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  return words
    .slice(words.indexOf('node') + 1, words.indexOf('bin/attune.js'))
    .filter((w) => w.startsWith('--'));
}
