import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonBody } from './json-body.js';
import type { AppEnv } from './env.js';

describe('jsonBody', () => {
  it('parses the body once: later reads get the same value, not a re-parse', async () => {
    const app = new Hono<AppEnv>();
    app.post('/x', jsonBody(1024), async (c) => {
      const a: unknown = await c.req.json();
      const b: unknown = await c.req.json();
      return c.json({ same: a === b, value: a });
    });
    const res = await app.request('/x', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"k":[1,2]}',
    });
    expect(await res.json()).toEqual({ same: true, value: { k: [1, 2] } });
  });
});
