// The embedded database belongs to one process at a time. The owner writes `attune.lock`
// (pid, host, the loopback port of its wire-protocol socket); any other process either
// connects through that socket or, when the owner is gone, takes the lock over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type LockInfo = {
  pid: number;
  host: string;
  socketPort: number | null;
  httpUrl?: string;
  startedAt: string;
  purpose: string;
};

export const LOCK_FILE = 'attune.lock';

export type LockState =
  | { state: 'acquired'; release: () => void; update: (info: Partial<LockInfo>) => void }
  | { state: 'held'; holder: LockInfo };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { raw: string; info: LockInfo | null } | null {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    try {
      return { raw, info: JSON.parse(raw) as LockInfo };
    } catch {
      return { raw, info: null };
    }
  } catch {
    return null;
  }
}

/** Try once to own the data directory. Never blocks; never removes a live owner's lock. */
export function tryAcquireLock(dataDir: string, purpose: string): LockState {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    const mine: LockInfo = {
      pid: process.pid,
      host: os.hostname(),
      socketPort: null,
      startedAt: new Date().toISOString(),
      purpose,
    };
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(mine));
      fs.closeSync(fd);
      let current = mine;
      return {
        state: 'acquired',
        update(info) {
          current = { ...current, ...info };
          const tmp = `${file}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, JSON.stringify(current), { mode: 0o600 });
          fs.renameSync(tmp, file);
        },
        release() {
          const now = readLock(file);
          if (now?.info?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const existing = readLock(file);
    if (!existing) continue; // removed between our open and read: try again
    const holder = existing.info;
    const stale = !holder || (holder.host === os.hostname() && !isAlive(holder.pid));
    if (!stale) return { state: 'held', holder };
    // Remove the stale lock only if it is still the one we judged stale.
    if (readLock(file)?.raw === existing.raw) fs.rmSync(file, { force: true });
  }
  const holder = readLock(file)?.info;
  if (holder) return { state: 'held', holder };
  throw new Error(`Could not take the lock on ${dataDir}; another process keeps replacing it.`);
}
