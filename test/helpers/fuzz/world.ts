// What exists before the fuzz starts, so routes that read one thing (an experiment's assignment
// and results) run their handlers deep instead of answering 404: the fuzzer finds the key in
// GET /v1/experiments and reuses it in paths.
import type { TestContext } from '../services.js';

export async function seedFuzzWorld(t: TestContext): Promise<void> {
  const res = await t.request('/v1/experiments', {
    key: await t.keyFor('analyst'),
    json: {
      key: 'fuzz-banner',
      hypothesis: 'A banner lifts orders.',
      purpose: 'analytics',
      startAt: '2026-01-01T00:00:00Z',
      variations: [
        { id: 'c', name: 'control', weight: 0.5 },
        { id: 't', name: 'banner', weight: 0.5 },
      ],
      goalMetrics: [
        { name: 'conversion', type: 'binomial', event: 'Order Completed' },
        { name: 'revenue', type: 'mean', event: 'Order Completed', property: 'revenue' },
      ],
    },
  });
  if (res.status !== 201) throw new Error(`seeding the fuzz world: ${res.status} ${await res.text()}`);
}
