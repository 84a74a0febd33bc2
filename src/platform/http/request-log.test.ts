import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { lazyChild } from './request-log.js';

function sink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, stream };
}

describe('lazyChild', () => {
  it('makes no pino child while nothing logs, however many bindings are added', () => {
    const { stream } = sink();
    const root = createLogger('warn', stream);
    const child = vi.spyOn(root, 'child');
    const log = lazyChild(root, { requestId: 'r1' }).child({ keyId: 'k1', role: 'crm' });
    expect(log).toBeDefined();
    expect(child).not.toHaveBeenCalled();
  });

  it('logs with every binding gathered, as a real child chain would', () => {
    const { lines, stream } = sink();
    const root = createLogger('info', stream);
    const log = lazyChild(root, { requestId: 'r1' }).child({ keyId: 'k1', role: 'crm' });
    log.warn({ code: 'x' }, 'something');
    log.info('again');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      requestId: 'r1',
      keyId: 'k1',
      role: 'crm',
      code: 'x',
      msg: 'something',
    });
    expect(lines[1]).toMatchObject({ requestId: 'r1', keyId: 'k1', msg: 'again' });
    expect(log.isLevelEnabled('debug')).toBe(false);
    expect(log.level).toBe('info');
  });

  it('keeps redaction of bindings', () => {
    const { lines, stream } = sink();
    const root = createLogger('info', stream);
    lazyChild(root, { token: 'secret-value' }).info('x');
    expect(JSON.stringify(lines)).not.toContain('secret-value');
  });
});
