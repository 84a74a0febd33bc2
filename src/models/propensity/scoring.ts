// Scores from the champion: for everyone at once (the batch table analysts export), and for one
// person at decision time from features computed at that instant. Nobody without personalization
// consent is scored; their stored scores go at the next batch run, or at once on erasure.
import type { Database } from '../../platform/db/client.js';
import { FEATURE_NAMES, featuresOf, materialisedFeatures, refreshFeatures } from '../../features/index.js';
import { champion } from '../registry/index.js';
import { PropensityModel, type PropensityArtifact } from './model.js';
import { topReasons, type Reason } from './explain.js';
import { KIND } from './train.js';

async function loadChampion(database: Database): Promise<{ model: PropensityModel; version: number } | null> {
  const c = await champion(database, KIND);
  if (!c) return null;
  return {
    model: await PropensityModel.load(c.artifact as unknown as PropensityArtifact),
    version: c.version,
  };
}

export type BatchScoreResult = { version: number; scored: number; removed: number; at: string };

export async function scoreEveryone(database: Database, at: Date): Promise<BatchScoreResult | null> {
  const loaded = await loadChampion(database);
  if (!loaded) return null;
  const { sql } = database;
  try {
    await refreshFeatures(database, at);
    // The model was trained on signed-up customers: score the same population only.
    const signedUp = FEATURE_NAMES.indexOf('signed_up');
    const rows = (await materialisedFeatures(database)).filter((r) => r.vector[signedUp] === 1);
    const scores = rows.length ? await loaded.model.score(rows.map((r) => r.vector)) : new Float64Array();
    const removed = await sql.begin(async (tx) => {
      // Whoever is not scored now (withdrew consent, erased, no longer signed up) loses their old score.
      const gone = await tx`
        delete from propensity_scores where person_id <> all(${rows.map((r) => r.personId)}::text[]) returning 1`;
      for (let i = 0; i < rows.length; i += 2000) {
        const chunk = rows.slice(i, i + 2000);
        await tx`
          insert into propensity_scores (person_id, version, score, decile, scored_at)
          select p, ${loaded.version}, s, d, ${at.toISOString()}::timestamptz
          from unnest(${chunk.map((r) => r.personId)}::text[], ${Array.from(scores.slice(i, i + 2000))}::float8[],
                      ${chunk.map((_, k) => loaded.model.decileOf(scores[i + k]!))}::int[]) as t(p, s, d)
          on conflict (person_id) do update set version = excluded.version, score = excluded.score,
            decile = excluded.decile, scored_at = excluded.scored_at`;
      }
      return gone.length;
    });
    return { version: loaded.version, scored: rows.length, removed, at: at.toISOString() };
  } finally {
    loaded.model.classifier.dispose();
  }
}

export type PersonScore =
  | { status: 'ok'; score: number; decile: number; version: number; at: string; reasons: Reason[] }
  | { status: 'no-consent' }
  | { status: 'no-events' }
  | { status: 'no-model' };

export async function scoreOf(database: Database, userId: string, at: Date): Promise<PersonScore> {
  const served = await featuresOf(database, { userId }, at);
  if (served.status !== 'ok') return { status: served.status };
  const loaded = await loadChampion(database);
  if (!loaded) return { status: 'no-model' };
  try {
    const [score] = await loaded.model.score([served.vector]);
    return {
      status: 'ok',
      score: score!,
      decile: loaded.model.decileOf(score!),
      version: loaded.version,
      at: at.toISOString(),
      reasons: await topReasons(loaded.model, served.vector),
    };
  } finally {
    loaded.model.classifier.dispose();
  }
}
