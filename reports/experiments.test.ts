import { describe, expect, it } from 'vitest';
import { useReportWorld, renderParsed } from '../test/helpers/report-world.js';

describe('experiments overview report', () => {
  const w = useReportWorld();

  it('lists every experiment of the world with its report file', async () => {
    const { text } = await renderParsed(w.ctx, 'experiments');
    for (const x of w.world.truth.experiments) {
      expect(text).toContain(x.key);
      expect(text).toContain(`experiment--${x.key}.html`);
    }
  });
});
