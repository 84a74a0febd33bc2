// Trains the prompt-injection classifier and writes src/guardrails/injection/weights.json.
//
//   npx tsx scripts/guardrails/train-injection.ts
//
// Logistic regression over the hashed n-grams of src/guardrails/injection/features.ts, fitted with tfjs
// (wasm backend) by Adam on class-balanced sigmoid cross-entropy. Reproducible: zero initial weights, a seeded
// shuffle, a fixed number of epochs. Only rows with split "train" are read; 20% of them (by a hash of the
// text) pick the threshold, then the model is refitted on all training rows. The held-out split is never read.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FEATURE_DIM, featurize, type SparseVector } from '../../src/guardrails/injection/features.js';
import { loadModel, scoreInjection, type InjectionModel } from '../../src/guardrails/injection/model.js';
import { segmentsOf } from '../../src/guardrails/injection/segments.js';

const DATA = 'fixtures/guardrails/injection.jsonl';
const OUT = 'src/guardrails/injection/weights.json';
const EPOCHS = 12;
const BATCH = 128;
const LEARNING_RATE = 0.02;
const L2 = 1e-6;
/** The threshold keeps the false-positive rate on the validation rows at or below this. */
const TARGET_FPR = 0.04;

type Row = { id: string; text: string; label: 0 | 1; kind: string; lang: string; split: string };

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const inValidation = (text: string) =>
  createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32 < 0.2;

/** Whole texts, plus the windows of benign documents as more benign examples (the runtime scores windows). */
function examples(rows: Row[]): { x: SparseVector; y: number }[] {
  const out: { x: SparseVector; y: number }[] = [];
  for (const r of rows) {
    out.push({ x: featurize(r.text), y: r.label });
    if (r.label === 0)
      for (const s of segmentsOf(r.text).slice(1))
        out.push({ x: featurize(r.text.slice(s.start, s.end)), y: 0 });
  }
  return out;
}

async function fit(rows: Row[]): Promise<InjectionModel> {
  const data = examples(rows);
  const positives = data.filter((d) => d.y === 1).length;
  const weightOf = (y: number) =>
    y === 1 ? data.length / (2 * positives) : data.length / (2 * (data.length - positives));
  const w = tf.variable(tf.zeros([FEATURE_DIM, 1]));
  const b = tf.variable(tf.scalar(0));
  const optimizer = tf.train.adam(LEARNING_RATE);
  const random = mulberry32(16);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      const dense = new Float32Array(batch.length * FEATURE_DIM);
      batch.forEach((k, r) => {
        const { x } = data[k]!;
        for (let i = 0; i < x.indices.length; i++) dense[r * FEATURE_DIM + x.indices[i]!] = x.values[i]!;
      });
      const loss = tf.tidy(() => {
        const X = tf.tensor2d(dense, [batch.length, FEATURE_DIM]);
        const y = tf.tensor2d(
          batch.map((k) => data[k]!.y),
          [batch.length, 1],
        );
        const sw = tf.tensor2d(
          batch.map((k) => weightOf(data[k]!.y)),
          [batch.length, 1],
        );
        return optimizer.minimize(() => {
          const logits = X.matMul(w).add(b);
          const ce = tf.losses.sigmoidCrossEntropy(y, logits, sw);
          return ce.add<tf.Scalar>(w.square().sum().mul(L2));
        }, true)!;
      });
      total += (await loss.data())[0]! * batch.length;
      loss.dispose();
    }
    process.stderr.write(`\repoch ${epoch + 1}/${EPOCHS} loss ${(total / order.length).toFixed(4)}   `);
  }
  process.stderr.write('\n');
  const weights = await w.data();
  const bias = (await b.data())[0]!;
  w.dispose();
  b.dispose();
  optimizer.dispose();
  // int8 quantisation: the stored model is the one scored at run time, so the threshold is chosen on it.
  let max = 0;
  for (const v of weights) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const bytes = Buffer.alloc(FEATURE_DIM);
  for (let i = 0; i < FEATURE_DIM; i++) bytes.writeInt8(Math.round(weights[i]! / scale), i);
  return { dim: FEATURE_DIM, bias, weights: bytes.toString('hex'), scale, threshold: 0.5 };
}

function chooseThreshold(model: InjectionModel, rows: Row[]) {
  const loaded = loadModel(model);
  const scored = rows.map((r) => ({ label: r.label, score: scoreInjection(loaded, r.text).score }));
  const benign = scored
    .filter((s) => s.label === 0)
    .map((s) => s.score)
    .sort((a, b) => b - a);
  const allowed = Math.floor(TARGET_FPR * benign.length);
  const threshold = Math.min(0.95, Math.max(0.5, (benign[allowed] ?? 0) + 1e-6));
  const attacks = scored.filter((s) => s.label === 1);
  const recall = attacks.filter((s) => s.score >= threshold).length / attacks.length;
  const fpr = benign.filter((s) => s >= threshold).length / benign.length;
  return { threshold, recall, fpr, attacks: attacks.length, benign: benign.length };
}

async function main() {
  await tf.setBackend('wasm');
  const raw = fs.readFileSync(DATA, 'utf8');
  const train = raw
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => r.split === 'train');
  const fitRows = train.filter((r) => !inValidation(r.text));
  const validation = train.filter((r) => inValidation(r.text));
  process.stderr.write(`training on ${fitRows.length} rows, validating on ${validation.length}\n`);
  const pick = chooseThreshold(await fit(fitRows), validation);
  process.stderr.write(
    `validation: threshold ${pick.threshold.toFixed(4)}, recall ${pick.recall.toFixed(3)}, FPR ${pick.fpr.toFixed(3)}\n`,
  );
  process.stderr.write(`refitting on all ${train.length} training rows\n`);
  const model = { ...(await fit(train)), threshold: pick.threshold };
  const doc = {
    generated: 'by `npx tsx scripts/guardrails/train-injection.ts`; do not edit',
    data: { file: DATA, sha256: createHash('sha256').update(raw).digest('hex'), trainRows: train.length },
    training: {
      epochs: EPOCHS,
      batch: BATCH,
      learningRate: LEARNING_RATE,
      l2: L2,
      backend: tf.getBackend(),
      seed: 16,
    },
    validation: pick,
    ...model,
  };
  fs.writeFileSync(OUT, JSON.stringify(doc, null, 2) + '\n');
  process.stderr.write(`wrote ${OUT}\n`);
}

await main();
