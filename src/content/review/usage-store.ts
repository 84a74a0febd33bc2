// Generation requests as rows (tokens and cost per request), summed per asset for cost per outcome.
import type postgres from 'postgres';

/** The client or a transaction on it. */
type Sql = postgres.Sql | postgres.TransactionSql;
import type { Usage } from '../generate/cost.js';

export async function recordRequest(
  sql: Sql,
  r: {
    assetType: 'brief' | 'creative';
    assetId: string;
    purpose: string;
    generator: string;
    template: string;
    usage: Usage;
  },
  now: Date,
): Promise<void> {
  await sql`
    insert into content_generation_requests (at, asset_type, asset_id, purpose, generator, template, requests,
      prompt_tokens, completion_tokens, cost_usd)
    values (${now.toISOString()}::timestamptz, ${r.assetType}, ${r.assetId}, ${r.purpose}, ${r.generator}, ${r.template},
      ${r.usage.requests}, ${r.usage.promptTokens}, ${r.usage.completionTokens}, ${r.usage.costUsd})`;
}

export async function usageOf(sql: Sql, assetId: string): Promise<Usage> {
  const [row] = await sql<{ requests: number; prompt: number; completion: number; cost: number }[]>`
    select coalesce(sum(requests), 0)::int as requests, coalesce(sum(prompt_tokens), 0)::int as prompt,
           coalesce(sum(completion_tokens), 0)::int as completion, coalesce(sum(cost_usd), 0)::float8 as cost
    from content_generation_requests where asset_id = ${assetId}::uuid`;
  return {
    requests: row!.requests,
    promptTokens: row!.prompt,
    completionTokens: row!.completion,
    costUsd: Number(row!.cost),
  };
}
