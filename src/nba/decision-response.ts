// The answer to POST /v1/decisions, as the CRM reads it; the log keeps each of its parts once
// (sql/0019), and a repeated request id gets the same answer back, rebuilt from the log row
// (responseFromLog: the same fields and values).
import { z } from '@hono/zod-openapi';
import { REASONS, type Arbitration } from './arbitrate.js';
import type { DecisionContext } from './context-features.js';

export const DecisionResponseSchema = z
  .object({
    decisionId: z.string(),
    requestId: z.string().nullable(),
    customerId: z.string(),
    placement: z.string(),
    mode: z
      .enum(['learned', 'non-personal', 'shadow', 'none'])
      .describe(
        'learned: the policy chose; non-personal: no personalization consent, the documented default; shadow: the default served, the policy logged; none: nothing may be sent',
      ),
    action: z
      .object({ id: z.string(), name: z.string(), channel: z.string(), creative: z.string().nullable() })
      .nullable(),
    probability: z
      .number()
      .nullable()
      .describe('Probability of the served action under the process that chose it'),
    policy: z.object({ name: z.string(), exploration: z.number(), floor: z.number() }),
    modelVersion: z.number().int().nullable(),
    alternatives: z.array(
      z.object({
        actionId: z.string(),
        rank: z.number().int(),
        probability: z.number(),
        score: z.number().describe('What the policy ranks by (EV, at the optimistic bound for LinUCB)'),
        expectedValue: z.number().describe('pResponse × value × lever − cost'),
        pResponse: z.number(),
        pResponseSd: z.number(),
        value: z.number(),
        lever: z.number(),
        cost: z.number(),
      }),
    ),
    shadow: z.object({ actionId: z.string(), probability: z.number() }).nullable(),
    reasons: z.array(z.object({ actionId: z.string(), reason: z.enum(REASONS), detail: z.string() })),
    decidedAt: z.string(),
  })
  .openapi('NbaDecision');
export type DecisionResponse = z.infer<typeof DecisionResponseSchema>;

export function toDecisionResponse(
  a: Arbitration,
  o: {
    decisionId: string;
    req: { customerId: string; requestId?: string | undefined; context: DecisionContext };
    at: Date;
    modelVersion: number | null;
  },
): DecisionResponse {
  const shadowPick = a.mode === 'shadow' && a.chosen ? a.scored.find((s) => s.id === a.chosen) : undefined;
  return {
    decisionId: o.decisionId,
    requestId: o.req.requestId ?? null,
    customerId: o.req.customerId,
    placement: a.placement.placement,
    mode: a.mode,
    action: a.served
      ? { id: a.served.id, name: a.served.name, channel: a.served.channel, creative: a.served.creative }
      : null,
    probability: a.probability,
    policy: {
      name: a.mode === 'non-personal' ? 'non-personal-default' : a.placement.policy,
      exploration: a.placement.exploration,
      floor: a.placement.floor,
    },
    modelVersion: a.mode === 'learned' || a.mode === 'shadow' ? o.modelVersion : null,
    alternatives: a.scored.map((s, i) => ({
      actionId: s.id,
      rank: i + 1,
      probability: s.probability,
      score: s.score,
      expectedValue: s.expectedValue,
      pResponse: s.pResponse,
      pResponseSd: s.pResponseSd,
      value: s.value,
      lever: s.lever,
      cost: s.cost,
    })),
    shadow: shadowPick ? { actionId: shadowPick.id, probability: shadowPick.probability } : null,
    reasons: a.reasons,
    decidedAt: o.at.toISOString(),
  };
}

type Alternative = DecisionResponse['alternatives'][number];

/** A logged decision as nba_logged (sql/0019) answers it: what a repeated request id's answer is rebuilt from. */
export type LoggedDecision = {
  id: string;
  userId: string;
  placement: string;
  mode: DecisionResponse['mode'];
  policy: string;
  modelVersion: number | null;
  chosenActionId: string | null;
  servedActionId: string | null;
  servedChannel: string | null;
  probability: number | null;
  /** The alternatives as answered (scored modes), or the eligible actions with 1 or 0. */
  candidates: (Alternative | { actionId: string; probability: number })[];
  reasons: DecisionResponse['reasons'];
  actionName: string | null;
  actionCreative: string | null;
  exploration: number;
  floor: number;
  /** Epoch milliseconds. */
  decidedAt: number;
};

/**
 * The answer a decision was given, from its log row: the same text as toDecisionResponse's answer gave
 * (the log stores each of its parts once; a repeated request id is answered with this).
 */
export function responseFromLog(d: LoggedDecision, requestId: string | null): DecisionResponse {
  // The fields in the answer's order (jsonb keeps an object's keys in an order of its own), so that
  // the replay is the first answer's text again.
  const alternatives: Alternative[] = [];
  for (const c of d.candidates)
    if ('rank' in c)
      alternatives.push({
        actionId: c.actionId,
        rank: c.rank,
        probability: c.probability,
        score: c.score,
        expectedValue: c.expectedValue,
        pResponse: c.pResponse,
        pResponseSd: c.pResponseSd,
        value: c.value,
        lever: c.lever,
        cost: c.cost,
      });
  const shadowPick =
    d.mode === 'shadow' && d.chosenActionId
      ? alternatives.find((a) => a.actionId === d.chosenActionId)
      : undefined;
  return {
    decisionId: d.id,
    requestId,
    customerId: d.userId,
    placement: d.placement,
    mode: d.mode,
    action: d.servedActionId
      ? { id: d.servedActionId, name: d.actionName!, channel: d.servedChannel!, creative: d.actionCreative }
      : null,
    probability: d.probability,
    policy: { name: d.policy, exploration: d.exploration, floor: d.floor },
    modelVersion: d.mode === 'learned' || d.mode === 'shadow' ? d.modelVersion : null,
    alternatives,
    shadow: shadowPick ? { actionId: shadowPick.actionId, probability: shadowPick.probability } : null,
    reasons: d.reasons.map((r) => ({ actionId: r.actionId, reason: r.reason, detail: r.detail })),
    decidedAt: new Date(d.decidedAt).toISOString(),
  };
}
