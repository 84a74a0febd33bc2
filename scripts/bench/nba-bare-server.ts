// The ceiling for `npm run bench -- nba`: a bare Hono app answering a small JSON body, served by
// @hono/node-server in its own process exactly as `attune serve` is. Prints its URL, then serves.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const app = new Hono();
app.post('/decide', async (c) => {
  const body: unknown = await c.req.json();
  return c.json({ ok: true, echo: typeof body }, 201);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`bare serving on http://127.0.0.1:${info.port} \n`);
});
process.on('SIGTERM', () => server.close());
