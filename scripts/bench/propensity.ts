// `npm run bench -- propensity [--rows 10000,100000] [--csv FILE --label COL [--drop COL,...]] [--backends wasm,cpu]
//  [--candidates logistic,mlp,forest] [--seeds 7,8,9]` (fewer candidates: their scikit-learn peers only, e.g. at
// 1M rows; several seeds: Attune's fits once per training seed against the same scikit-learn run):
// Attune's propensity candidates against scikit-learn's LogisticRegression, RandomForestClassifier and
// HistGradientBoostingClassifier on the same train/test files, in the same run: AUC difference and
// fit-time ratio. Needs /usr/bin/python3 with scikit-learn (Debian: python3-sklearn, python3-pandas).
// The synthetic table has a known logistic truth with an interaction, a categorical column and
// missing values; --csv splits the given table 80/20 by row order instead. Before each timed fit
// the backend is warmed up on a small table (wasm's first calls, tfjs's kernel set-up), as
// scikit-learn's imports happen before its timers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initRuntime } from '../../src/ml/runtime/index.js';
import { fitTable } from '../../src/models/propensity/fit-table.js';
import { seededRandom } from '../../src/ml/metrics/index.js';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** n rows: 8 numeric columns (one with 10% missing), a 5-level category; P(y) from a known logistic with an interaction. */
export function syntheticCsv(n: number, seed: number): string {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const lines = ['x1,x2,x3,x4,x5,x6,x7,x8,segment,label'];
  const segEffect: Record<string, number> = { a: 0.4, b: 0, c: -0.3, d: 0.8, e: -0.6 };
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 8 }, normal);
    const seg = 'abcde'[Math.floor(rand() * 5)]!;
    const z =
      -2.2 + 0.9 * x[0]! - 0.6 * x[1]! + 0.5 * x[2]! * x[3]! + 0.3 * Math.abs(x[4]!) + segEffect[seg]!;
    const y = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    const cells = x.map((v, j) => (j === 5 && rand() < 0.1 ? '' : v.toFixed(5)));
    lines.push([...cells, seg, y].join(','));
  }
  return lines.join('\n') + '\n';
}

type Kind = 'logistic' | 'mlp' | 'forest';

/** First-use costs of a backend, paid outside the timed fits. */
async function warmUp(dir: string, candidates: Kind[]): Promise<void> {
  const file = path.join(dir, 'warm-up.csv');
  fs.writeFileSync(file, syntheticCsv(600, 3));
  const text = fs.readFileSync(file, 'utf8');
  const kinds = candidates.filter((k) => k !== 'forest'); // the forest is plain JavaScript
  if (!kinds.length) return;
  const fit = await fitTable(
    { text, name: file },
    { text, name: file },
    { label: 'label', candidates: kinds },
  );
  fit.winner.classifier.dispose();
}

type Sk = { version: string; models: { kind: string; auc: number; fitSeconds: number }[] };

export async function main(args: string[]): Promise<void> {
  const backends = (arg(args, 'backends') ?? 'wasm,cpu').split(',') as ('wasm' | 'cpu')[];
  const candidates = (arg(args, 'candidates') ?? 'logistic,mlp,forest').split(',') as Kind[];
  const seeds = (arg(args, 'seeds') ?? '7').split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-bench-propensity-'));
  const tables: { name: string; train: string; test: string; label: string }[] = [];
  const csv = arg(args, 'csv');
  // Identifier columns (a user id, the snapshot date) are not features: both sides leave them out.
  const drop = (arg(args, 'drop') ?? '').split(',').filter(Boolean);
  if (csv) {
    const label = arg(args, 'label');
    if (!label) throw new Error('--csv needs --label COL');
    const [header, ...rows] = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    const cut = Math.floor(rows.length * 0.8);
    const train = path.join(dir, 'train.csv');
    const test = path.join(dir, 'test.csv');
    fs.writeFileSync(train, [header, ...rows.slice(0, cut)].join('\n') + '\n');
    fs.writeFileSync(test, [header, ...rows.slice(cut)].join('\n') + '\n');
    tables.push({ name: path.basename(csv), train, test, label });
  } else {
    for (const n of (arg(args, 'rows') ?? '10000,100000').split(',').map(Number)) {
      const train = path.join(dir, `train-${n}.csv`);
      const test = path.join(dir, `test-${n}.csv`);
      fs.writeFileSync(train, syntheticCsv(n, 1));
      fs.writeFileSync(test, syntheticCsv(Math.max(2000, Math.round(n / 4)), 2));
      tables.push({ name: `synthetic ${n.toLocaleString('en-US')} rows`, train, test, label: 'label' });
    }
  }
  const pair: Record<Kind, string> = {
    logistic: 'logistic-cv',
    forest: 'forest',
    mlp: 'hist-gradient-boosting',
  };
  for (const t of tables) {
    const loadAvg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    process.stdout.write(`\n== ${t.name} (load average ${loadAvg()})\n`);
    const sk = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          path.join('scripts', 'bench', 'propensity_sklearn.py'),
          t.train,
          t.test,
          t.label,
          drop.join(','),
          candidates.flatMap((k) => (k === 'logistic' ? ['logistic', pair[k]] : [pair[k]])).join(','),
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        },
      ),
    ) as Sk;
    const skBest = [...sk.models].sort((a, b) => b.auc - a.auc)[0]!;
    for (const m of sk.models)
      process.stdout.write(
        `  scikit-learn ${sk.version} ${m.kind.padEnd(24)} AUC ${m.auc.toFixed(4)}  fit ${m.fitSeconds.toFixed(3)} s\n`,
      );
    for (const backend of backends) {
      await initRuntime({ backend });
      await warmUp(dir, candidates);
      for (const seed of seeds) {
        const load = loadAvg();
        const fit = await fitTable(
          { text: fs.readFileSync(t.train, 'utf8'), name: t.train },
          { text: fs.readFileSync(t.test, 'utf8'), name: t.test },
          { label: t.label, drop, candidates, seed },
        );
        fit.winner.classifier.dispose();
        for (const m of fit.models) {
          const peer = sk.models.find((s) => s.kind === pair[m.kind])!;
          const plain = sk.models.find((s) => s.kind === m.kind && s !== peer);
          process.stdout.write(
            `  attune ${backend.padEnd(5)} ${m.kind.padEnd(9)} AUC ${m.auc.toFixed(4)} (vs ${peer.kind} ${(m.auc - peer.auc >= 0 ? '+' : '') + (m.auc - peer.auc).toFixed(4)})  fit ${m.fitSeconds.toFixed(3)} s (${(m.fitSeconds / peer.fitSeconds).toFixed(2)}× ${peer.kind}${plain ? `, ${(m.fitSeconds / plain.fitSeconds).toFixed(2)}× ${plain.kind} without a search` : ''})\n`,
          );
        }
        process.stdout.write(
          `  (seed ${seed}, load average before the fits: ${load})\n  → best on ${backend}: ${fit.best.kind} ${fit.best.auc.toFixed(4)} vs scikit-learn's best ${skBest.kind} ${skBest.auc.toFixed(4)}: ${(fit.best.auc - skBest.auc >= 0 ? '+' : '') + (fit.best.auc - skBest.auc).toFixed(4)}\n`,
        );
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
