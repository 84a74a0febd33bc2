// `attune propensity fit` on tables an analyst brings: the candidates on a table with a known
// logistic truth, the JSON contract, --save into the registry, and bad files refused with the line
// or column named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { seededRandom } from '../src/ml/metrics/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-table-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = { ATTUNE_DATA_DIR: path.join(dir, 'data') };

/** y ~ Bernoulli(sigmoid(-1 + 1.5·x1 − x2 + plan effect)), some x3 missing, an id column to drop. */
function table(n: number, seed: number): string {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const lines = ['customer_id,x1,x2,x3,plan,churned'];
  for (let i = 0; i < n; i++) {
    const x1 = normal();
    const x2 = normal();
    const plan = ['gold', 'silver', 'bronze'][i % 3]!;
    const z = -1 + 1.5 * x1 - x2 + (plan === 'gold' ? 0.8 : 0);
    const y = rand() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no';
    lines.push(
      [`c${seed}-${i}`, x1.toFixed(4), x2.toFixed(4), rand() < 0.1 ? '' : normal().toFixed(4), plan, y].join(
        ',',
      ),
    );
  }
  return lines.join('\n') + '\n';
}
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('attune propensity fit', () => {
  it('trains the candidates and prints {rows, models, best}; --save registers the winner', async () => {
    const train = write('train.csv', table(3000, 1));
    const test = write('test.csv', table(1500, 2));
    const r = await runCli(
      [
        'propensity',
        'fit',
        '--train',
        train,
        '--test',
        test,
        '--label',
        'churned',
        '--positive',
        'yes',
        '--drop',
        'customer_id',
        '--candidates',
        'logistic,mlp',
        '--save',
        'crm-churn',
        '--json',
      ],
      env,
      180_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: { train: number; test: number };
      models: {
        kind: string;
        auc: number;
        prAuc: number;
        logLoss: number;
        brier: number;
        fitSeconds: number;
        backend: string;
      }[];
      best: { kind: string; auc: number };
      saved: { name: string; version: number; status: string };
    };
    expect(out.rows).toEqual({ train: 3000, test: 1500 });
    expect(out.models.map((m) => m.kind)).toEqual(['logistic', 'mlp']);
    // The Bayes AUC of this truth is about 0.83; a correct logistic fit gets close to it.
    const logistic = out.models.find((m) => m.kind === 'logistic')!;
    expect(logistic.auc).toBeGreaterThan(0.78);
    expect(out.best.auc).toBe(Math.max(...out.models.map((m) => m.auc)));
    expect(out.saved).toMatchObject({ name: 'crm-churn', version: 1, status: 'champion' });
    const list = await runCli(['models', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toMatchObject({ versions: [{ kind: 'crm-churn', version: 1 }] });
  }, 240_000);

  it.each([
    ['no label column', 'a,b\n1,2\n3,4\n', /no label column "churned"/],
    ['one class only', 'a,churned\n1,no\n2,no\n', /one class only/],
    ['a ragged row', 'a,churned\n1,yes\n2\n', /line 3: 1 fields where the header has 2/],
    [
      'junk in a numeric column',
      `a,churned\n${Array.from({ length: 30 }, (_, i) => `${i},${i % 2 ? 'yes' : 'no'}`).join('\n')}\nabc,yes\n`,
      /line 32, column "a": "abc" is not a number/,
    ],
  ])('refuses a training file with %s, naming where', async (_what, text, message) => {
    const train = write('bad.csv', text);
    const test = write('test-ok.csv', table(50, 3));
    const r = await runCli(
      ['propensity', 'fit', '--train', train, '--test', test, '--label', 'churned'],
      env,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});
