// Writes audit records and reads the daily pass/fix/flag/re-ask/block counts per check, and the LLM
// judge's opinions (agreed, disputed, rescued, error) per stage.
import { and, gte, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../platform/db/client.js';
import { guardrailDecisions } from './tables.js';
import type { AuditRecord } from './types.js';

export async function recordDecisions(
  database: Database,
  source: string,
  records: readonly AuditRecord[],
): Promise<void> {
  if (!records.length) return;
  await database.db.insert(guardrailDecisions).values(
    records.map((r) => ({
      at: new Date(r.at),
      source,
      stage: r.stage,
      check: r.check,
      action: r.action,
      rules: r.rules,
      spans: r.spans,
      score: r.score,
      attempt: r.attempt,
      judgeVerdict: r.judge?.verdict ?? null,
      judgeModel: r.judge?.model ?? null,
      judgeConfidence: r.judge?.confidence ?? null,
      judgeError: r.judge?.error ?? null,
    })),
  );
}

export type DailyDecisions = { day: string; check: string; action: string; count: number };

export async function dailyDecisions(
  database: Database,
  sinceDays = 90,
  now = new Date(),
): Promise<DailyDecisions[]> {
  const since = new Date(now.getTime() - sinceDays * 86_400_000);
  const rows = await database.db
    .select({
      day: sql<string>`to_char(date_trunc('day', ${guardrailDecisions.at} at time zone 'UTC'), 'YYYY-MM-DD')`,
      check: guardrailDecisions.check,
      action: guardrailDecisions.action,
      count: sql<number>`count(*)::int`,
    })
    .from(guardrailDecisions)
    .where(gte(guardrailDecisions.at, since))
    .groupBy(sql`1`, guardrailDecisions.check, guardrailDecisions.action)
    .orderBy(sql`1`, guardrailDecisions.check, guardrailDecisions.action);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

export type JudgeOpinions = { stage: string; verdict: string; count: number };

/** How often the LLM judge agreed, disputed, rescued or failed, per stage, over the window. */
export async function judgeOpinions(
  database: Database,
  sinceDays = 90,
  now = new Date(),
): Promise<JudgeOpinions[]> {
  const since = new Date(now.getTime() - sinceDays * 86_400_000);
  const rows = await database.db
    .select({
      stage: guardrailDecisions.stage,
      verdict: sql<string>`${guardrailDecisions.judgeVerdict}`,
      count: sql<number>`count(*)::int`,
    })
    .from(guardrailDecisions)
    .where(and(gte(guardrailDecisions.at, since), isNotNull(guardrailDecisions.judgeVerdict)))
    .groupBy(guardrailDecisions.stage, guardrailDecisions.judgeVerdict)
    .orderBy(guardrailDecisions.stage, guardrailDecisions.judgeVerdict);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}
