// Briefs and their history. Every change is one statement guarded by the version the editor read
// (`where version = $read`), so two editors cannot overwrite each other: the second gets a 412.
import type postgres from 'postgres';
import type { Database } from '../../platform/db/client.js';

/** The client or a transaction on it. */
type Sql = postgres.Sql | postgres.TransactionSql;
import { AppError, NotFoundError } from '../../platform/errors.js';
import type { SeoBrief } from '../seo/brief-schema.js';
import type { ContentScore } from '../seo/score.js';
import type { Source, StoredFinding } from '../generate/sources.js';
import type { Usage } from '../generate/cost.js';

export const BRIEF_STATUSES = ['in-review', 'approved', 'rejected'] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];

export type StoredBrief = {
  id: string;
  brand: string;
  keyword: string;
  language: string;
  status: BriefStatus;
  version: number;
  access: string[];
  brief: SeoBrief;
  sources: Source[];
  findings: StoredFinding[];
  score: ContentScore;
  generator: { kind: string; label: string; note?: string };
  template: string;
  approvedUsage: Usage | null;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
};

export type BriefEvent = {
  at: string;
  actor: string;
  action: string;
  version: number;
  section: string | null;
  reason: string | null;
  details: Record<string, unknown>;
};

type Row = {
  id: string;
  brand: string;
  keyword: string;
  language: string;
  status: BriefStatus;
  version: number;
  access: string[];
  brief: SeoBrief;
  sources: Source[];
  findings: StoredFinding[];
  score: ContentScore;
  generator: StoredBrief['generator'];
  template: string;
  approved_usage: Usage | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
};

const toBrief = (r: Row): StoredBrief => ({
  id: r.id,
  brand: r.brand,
  keyword: r.keyword,
  language: r.language,
  status: r.status,
  version: r.version,
  access: r.access,
  brief: r.brief,
  sources: r.sources,
  findings: r.findings,
  score: r.score,
  generator: r.generator,
  template: r.template,
  approvedUsage: r.approved_usage,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

const json = (v: unknown) => JSON.stringify(v);

export async function addEvent(
  sql: Sql,
  briefId: string,
  e: Omit<BriefEvent, 'at'>,
  now: Date,
): Promise<void> {
  await sql`
    insert into content_brief_events (brief_id, at, actor, action, version, section, reason, details)
    values (${briefId}::uuid, ${now.toISOString()}::timestamptz, ${e.actor}, ${e.action}, ${e.version},
            ${e.section}, ${e.reason}, ${json(e.details)}::jsonb)`;
}

export async function insertBrief(
  database: Database,
  b: Omit<
    StoredBrief,
    'id' | 'version' | 'status' | 'approvedUsage' | 'createdAt' | 'updatedAt' | 'updatedBy'
  >,
  now: Date,
): Promise<StoredBrief> {
  return database.sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      insert into content_briefs (brand, keyword, language, status, version, access, brief, sources, findings, score,
        generator, template, created_by, created_at, updated_by, updated_at)
      values (${b.brand}, ${b.keyword}, ${b.language}, 'in-review', 1, ${b.access}::text[], ${json(b.brief)}::jsonb,
        ${json(b.sources)}::jsonb, ${json(b.findings)}::jsonb, ${json(b.score)}::jsonb, ${json(b.generator)}::jsonb,
        ${b.template}, ${b.createdBy}, ${now.toISOString()}::timestamptz, ${b.createdBy}, ${now.toISOString()}::timestamptz)
      returning *`;
    await addEvent(
      tx,
      row!.id,
      {
        actor: b.createdBy,
        action: 'generated',
        version: 1,
        section: null,
        reason: null,
        details: { generator: b.generator.label, template: b.template },
      },
      now,
    );
    return toBrief(row!);
  });
}

export async function getBrief(database: Database, id: string): Promise<StoredBrief> {
  const [row] = await database.sql<Row[]>`select * from content_briefs where id = ${id}::uuid`;
  if (!row) throw new NotFoundError(`Brief ${id}`);
  return toBrief(row);
}

export type BriefFilter = {
  brand: string;
  status?: BriefStatus;
  q?: string;
  language?: string;
  limit: number;
};

export async function listBriefs(database: Database, f: BriefFilter): Promise<StoredBrief[]> {
  const rows = await database.sql<Row[]>`
    select * from content_briefs
    where brand = ${f.brand}
      and (${f.status ?? null}::text is null or status = ${f.status ?? null})
      and (${f.language ?? null}::text is null or language = ${f.language ?? null})
      and (${f.q ?? null}::text is null or keyword ilike '%' || ${f.q?.replace(/[\\%_]/g, (m) => `\\${m}`) ?? null} || '%')
    order by (status = 'in-review') desc, updated_at desc, id
    limit ${f.limit}`;
  return rows.map(toBrief);
}

export type BriefChange = Partial<
  Pick<StoredBrief, 'brief' | 'sources' | 'findings' | 'score' | 'status' | 'approvedUsage'>
>;

/**
 * Applies a change if the brief is still at `readVersion`; bumps the version and records the event in the
 * same transaction. A stale version is a 412 naming the current one; a decided brief cannot change (409).
 */
export async function changeBrief(
  database: Database,
  id: string,
  readVersion: number,
  change: BriefChange,
  event: Omit<BriefEvent, 'at' | 'version'>,
  now: Date,
): Promise<StoredBrief> {
  return database.sql.begin(async (tx) => {
    const [current] = await tx<{ version: number; status: BriefStatus }[]>`
      select version, status from content_briefs where id = ${id}::uuid for update`;
    if (!current) throw new NotFoundError(`Brief ${id}`);
    if (current.version !== readVersion)
      throw new AppError(
        'precondition-failed',
        `Brief ${id} is at version ${current.version}, not ${readVersion}: someone changed it since you read it. Reload, then apply your change again.`,
        { extra: { currentVersion: current.version } },
      );
    if (current.status !== 'in-review')
      throw new AppError('conflict', `Brief ${id} is ${current.status}; a decided brief does not change.`);
    const [row] = await tx<Row[]>`
      update content_briefs set
        brief = coalesce(${change.brief ? json(change.brief) : null}::jsonb, brief),
        sources = coalesce(${change.sources ? json(change.sources) : null}::jsonb, sources),
        findings = coalesce(${change.findings ? json(change.findings) : null}::jsonb, findings),
        score = coalesce(${change.score ? json(change.score) : null}::jsonb, score),
        status = coalesce(${change.status ?? null}, status),
        approved_usage = coalesce(${change.approvedUsage ? json(change.approvedUsage) : null}::jsonb, approved_usage),
        version = version + 1, updated_by = ${event.actor}, updated_at = ${now.toISOString()}::timestamptz
      where id = ${id}::uuid and version = ${readVersion}
      returning *`;
    await addEvent(tx, id, { ...event, version: row!.version }, now);
    return toBrief(row!);
  });
}

export async function briefHistory(database: Database, id: string): Promise<BriefEvent[]> {
  const rows = await database.sql<(Omit<BriefEvent, 'at'> & { at: string })[]>`
    select at, actor, action, version, section, reason, details from content_brief_events
    where brief_id = ${id}::uuid order by id`;
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
