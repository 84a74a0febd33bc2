import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('gives documented defaults and the embedded database when DATABASE_URL is unset or empty', () => {
    for (const env of [{}, { DATABASE_URL: '' }, { DATABASE_URL: '   ' }]) {
      const c = parseConfig(env);
      expect(c.port).toBe(8787);
      expect(c.host).toBe('127.0.0.1');
      expect(c.database).toEqual({ mode: 'embedded', dataDir: '.attune/data', socketPort: 0 });
      expect(c.tfBackend).toBe('auto');
      expect(c.logLevel).toBe('info');
      expect(Object.isFrozen(c)).toBe(true);
    }
  });

  it('uses the server when DATABASE_URL is set', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u:p@db:5432/attune' }).database).toEqual({
      mode: 'server',
      url: 'postgres://u:p@db:5432/attune',
    });
  });

  it('reports every bad variable at once, by name, with the value it got', () => {
    let err: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        ATTUNE_TF_BACKEND: 'gpu',
        LOG_LEVEL: 'loud',
        OPENAI_BASE_URL: 'not a url',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(5);
    for (const v of ['PORT', 'DATABASE_URL', 'ATTUNE_TF_BACKEND', 'LOG_LEVEL', 'OPENAI_BASE_URL']) {
      expect(problems.some((p) => p.startsWith(`${v}:`))).toBe(true);
    }
    expect((err as Error).message).toContain('"eighty"');
  });

  it('refuses out-of-range numbers', () => {
    expect(() => parseConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => parseConfig({ ATTUNE_JOB_CONCURRENCY: '0' })).toThrow(/ATTUNE_JOB_CONCURRENCY/);
  });
});
