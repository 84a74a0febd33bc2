// POST /v1/guardrails/scan: the `guard scan` of the CLI over HTTP, one result per good item in input
// order, one error per bad item (by index); every decision is stored for the guardrail report.
import { z } from '@hono/zod-openapi';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import type { Database } from '../platform/db/client.js';
import { createGuardrails } from './guardrails.js';
import type { InjectionJudge } from './injection/llm-judge.js';
import { ScanItemSchema, judgeResults, scanItem, type ScanItem, type ScanResult } from './scan.js';
import { recordDecisions } from './store.js';
import type { Decision } from './types.js';

/** Items per request: a scan of this many texts answers well inside a second. */
export const MAX_SCAN_ITEMS = 1000;

const ResultSchema = z.object({
  id: z.string(),
  injection: z.object({
    flagged: z.boolean(),
    score: z.number(),
    judge: z
      .union([
        z.object({ flagged: z.boolean(), confidence: z.number(), reason: z.string() }),
        z.object({ error: z.string() }),
      ])
      .optional(),
    disputed: z.literal(true).optional(),
    source: z.literal('judge').optional(),
  }),
  pii: z.array(
    z.object({ type: z.string(), start: z.number().int(), end: z.number().int(), score: z.number() }),
  ),
});

export function registerGuardrailRoutes(
  app: Api,
  database: Database,
  bodyBytes: number,
  clock: () => Date,
  /** The LLM judge's second opinion on flagged and near-threshold texts; absent without an LLM. */
  judge?: InjectionJudge,
): void {
  const guard = createGuardrails({ now: clock });
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/guardrails/scan',
      roles: ROLE_GROUPS.readers,
      bodyLimitBytes: bodyBytes,
      tags: ['guardrails'],
      summary: 'Scan texts for prompt injection and PII (offsets are UTF-16 indices into each text)',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ items: z.array(z.unknown()).min(1).max(MAX_SCAN_ITEMS) }),
            },
          },
        },
      },
      responses: {
        200: jsonResponse(
          z.object({
            results: z.array(ResultSchema),
            errors: z.array(z.object({ index: z.number().int(), detail: z.string() })),
          }),
          'One result per valid item in input order; one error per invalid item',
        ),
      },
    }),
    async (c) => {
      const { items } = c.req.valid('json');
      const scanned: { item: ScanItem; result: ScanResult; decision: Decision }[] = [];
      const errors: { index: number; detail: string }[] = [];
      items.forEach((raw, index) => {
        const parsed = ScanItemSchema.safeParse(raw);
        if (!parsed.success) {
          errors.push({
            index,
            detail: parsed.error.issues.map((e) => `${e.path.join('.') || 'item'}: ${e.message}`).join('; '),
          });
          return;
        }
        const one = scanItem(guard, parsed.data);
        scanned.push({ item: parsed.data, result: one.result, decision: one.decision });
      });
      const results = await judgeResults(guard, scanned, judge);
      // The judge's part goes into the audit beside the classifier's score (a rescue as the check's action).
      const audit = scanned.flatMap(({ item, decision }, i) => {
        const injection = results[i]!.injection;
        return injection.judge
          ? guard.applyJudge(item.text, decision, injection, judge?.model).audit
          : decision.audit;
      });
      await recordDecisions(database, 'scan', audit);
      return c.json({ results, errors }, 200);
    },
  );
}
