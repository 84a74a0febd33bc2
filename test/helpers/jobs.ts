import type { JobView } from '../../src/platform/jobs/queue.js';

/** Polls a job until `done` says so, or fails with its last state. */
export async function waitFor(
  get: () => Promise<JobView>,
  done: (j: JobView) => boolean = (j) => j.state === 'completed' || j.state === 'failed',
  timeoutMs = 45_000,
): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const j = await get();
    if (done(j)) return j;
    if (Date.now() > until)
      throw new Error(`job still ${j.state} after ${timeoutMs} ms: ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
