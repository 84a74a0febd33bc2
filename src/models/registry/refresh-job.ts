// The `model.refresh` job: retrain one model kind, let the gate decide, and report the outcome. The
// kinds register themselves (src/model-kinds.ts), so the registry knows no model.
import { z } from 'zod';
import type { JobDefinition } from '../../platform/jobs/registry.js';

export type RefreshOutcome = { version: number; promoted: boolean; reason: string } & Record<string, unknown>;

export type ModelKind = {
  kind: string;
  description: string;
  /** The report rendered per version after a refresh (its parameter is the version), if any. */
  report?: string;
  refresh: (ctx: {
    actor: string;
    onProgress: (fraction: number, note?: string) => void;
  }) => Promise<RefreshOutcome>;
};

/** Renders a kind's per-version report; returns the file written. Injected so the registry knows no reports. */
export type RenderVersionReport = (report: string, version: number) => Promise<string>;

export function modelRefreshJob(
  kinds: readonly ModelKind[],
  renderVersionReport?: RenderVersionReport,
): JobDefinition<{ kind: string }> {
  const names = kinds.map((k) => k.kind);
  return {
    type: 'model.refresh',
    description: `Retrain a model (${names.join(', ') || 'none registered'}), evaluate it against the champion, promote it or keep it as a challenger.`,
    data: z.strictObject({
      kind: z
        .string()
        .refine((k) => names.includes(k), { message: `must be one of: ${names.join(', ')}` })
        .describe('The model kind to retrain'),
    }),
    retryLimit: 0,
    expireInSeconds: 3 * 3600,
    handler: async ({ data, progress }) => {
      const kind = kinds.find((k) => k.kind === data.kind)!;
      const outcome = await kind.refresh({
        actor: 'job:model.refresh',
        onProgress: (fraction, note) => void progress(0.95 * fraction, note),
      });
      if (!kind.report || !renderVersionReport) return outcome;
      void progress(0.96, `rendering the ${kind.report} report`);
      // A report that fails to render does not undo the training: the outcome says so instead.
      try {
        return { ...outcome, report: await renderVersionReport(kind.report, outcome.version) };
      } catch (e) {
        return { ...outcome, reportError: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
