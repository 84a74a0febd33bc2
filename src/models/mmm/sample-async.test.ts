// The stepwise sampler: driven asynchronously it yields to the event loop at every progress tick
// (so a job records progress and the API answers while a fit runs), and it draws exactly what the
// synchronous driver draws for the same seed.
import { describe, expect, it } from 'vitest';
import { sampleNuts, sampleNutsAsync, type BatchedLogDensity } from './sample.js';

/** A standard normal in 2-D, batched over chains: log p = −|q|²/2, gradient −q. */
const standardNormal: BatchedLogDensity = (q, chains) => {
  const dim = q.length / chains;
  const logp = new Float64Array(chains);
  const grad = new Float64Array(q.length);
  for (let c = 0; c < chains; c++)
    for (let i = 0; i < dim; i++) {
      const x = q[c * dim + i]!;
      logp[c]! -= 0.5 * x * x;
      grad[c * dim + i] = -x;
    }
  return { logp, grad };
};

describe('sampleNutsAsync', () => {
  it('lets other tasks run between progress ticks and draws what the synchronous sampler draws', async () => {
    const options = { dim: 2, chains: 2, draws: 60, warmup: 60, seed: 4, progressEvery: 10 };
    let ticksSeenByOtherTask = 0;
    let ticks = 0;
    // A task queued before the run: it can only run if the sampler gives the event loop a turn.
    const other = new Promise<void>((resolve) =>
      setImmediate(() => {
        ticksSeenByOtherTask = ticks;
        resolve();
      }),
    );
    const samples = await sampleNutsAsync(standardNormal, { ...options, onProgress: () => void ticks++ });
    await other;
    expect(ticks).toBe(12);
    expect(ticksSeenByOtherTask).toBeGreaterThan(0);
    expect(ticksSeenByOtherTask).toBeLessThan(12);
    const same = sampleNuts(standardNormal, options);
    expect(samples.chains.map((c) => c.draws.map((d) => [...d]))).toEqual(
      same.chains.map((c) => c.draws.map((d) => [...d])),
    );
  });
});
