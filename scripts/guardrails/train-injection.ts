// Trains the prompt-injection classifier and writes src/guardrails/injection/weights.json.
//
//   npx tsx scripts/guardrails/train-injection.ts [--validate-only] [--show-errors]
//
// Logistic regression over the hashed n-grams of src/guardrails/injection/features.ts, fitted with tfjs
// (wasm backend; sparse batches, so a step costs the batch's non-zeros) by Adam on class-balanced sigmoid
// cross-entropy. Reproducible: zero initial weights, a seeded shuffle, a fixed number of epochs. Only rows with split "train" are read. Whole groups of them (source
// files, templates, contexts, instructions: the rows' `groups`) are held out of a first fit to choose the threshold at
// TARGET_FPR on them, then the model is refitted on all training rows. The held-out split is never read.
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
/**
 * The threshold keeps the false-positive rate on the validation rows at or below this, with no floor or ceiling: on
 * grouped validation rows it carries over to unseen sources (4%, a point under the 5% aim, for the sources that differ
 * more than the groups do).
 */
const TARGET_FPR = 0.04;

type Row = {
  id: string;
  text: string;
  label: 0 | 1;
  kind: string;
  lang: string;
  split: string;
  /** UTF-16 span of the planted instruction, in training documents built by planting one. */
  span?: [number, number];
  /** Validation groups (training rows): source file, template, context, instruction; see assemble_injection.py. */
  groups?: string[];
};

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** NotInject's files are whole groups; one is held out for validation, as the held-out split holds out another. */
const NOT_INJECT = 'InjecGuard:datasets/NotInject_';
const VALIDATION_NOT_INJECT = `${NOT_INJECT}two.json`;
/** Share of the other groups drawn for validation (by a hash of the group's name). */
const VALIDATION_SHARE = 0.2;

const drawn = (group: string) =>
  group.startsWith(NOT_INJECT)
    ? group === VALIDATION_NOT_INJECT
    : createHash('sha256').update(group).digest().readUInt32BE(0) / 2 ** 32 < VALIDATION_SHARE;

/**
 * Validation rows are whole groups held out of fitting, the way the held-out split holds out whole sources and
 * templates: a row is a validation row when any of its groups is drawn (a document with a planted instruction goes
 * with its context and with the instruction's own source file, so neither was seen in fitting).
 */
const inValidation = (r: Row) => (r.groups ?? []).some(drawn);

/**
 * What the runtime scores, as examples: whole texts, plus the windows of benign documents as more benign examples.
 * A training document with a planted instruction (its span is known) is learnt from its parts instead: the parts
 * that hold the instruction are attacks, the parts clear of it benign; the whole document only when it is short
 * enough to be scored whole alone. Otherwise its ordinary text would be learnt as a sign of attack.
 */
function examples(rows: Row[]): { x: SparseVector; y: number }[] {
  const out: { x: SparseVector; y: number }[] = [];
  const add = (text: string, y: number) => out.push({ x: featurize(text), y });
  for (const r of rows) {
    const segments = segmentsOf(r.text);
    if (r.span && segments.length > 1) {
      const [from, to] = r.span;
      for (const s of segments.slice(1))
        if (s.start <= from && s.end >= to) add(r.text.slice(s.start, s.end), 1);
        else if (s.end <= from || s.start >= to) add(r.text.slice(s.start, s.end), 0);
      continue;
    }
    add(r.text, r.label);
    if (r.label === 0) for (const s of segments.slice(1)) add(r.text.slice(s.start, s.end), 0);
  }
  return out;
}

/** Sparse rows of a batch padded to the longest one (padding points at feature 0 with value 0). */
function batchTensors(data: { x: SparseVector; y: number }[], batch: number[]) {
  const width = Math.max(1, ...batch.map((k) => data[k]!.x.indices.length));
  const idx = new Int32Array(batch.length * width);
  const val = new Float32Array(batch.length * width);
  batch.forEach((k, r) => {
    const { x } = data[k]!;
    idx.set(x.indices, r * width);
    val.set(x.values, r * width);
  });
  return {
    idx: tf.tensor2d(idx, [batch.length, width], 'int32'),
    val: tf.tensor2d(val, [batch.length, width]),
  };
}

/**
 * The logits of a padded sparse batch, sum_j w[idx_ij]·val_ij, with its gradient written as a scatter-add into
 * the weights (tfjs's own gather gradient is a dense segment sum, far slower over FEATURE_DIM weights).
 */
const sparseLogits = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [w, idx, val, save] = args as [tf.Tensor1D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([idx, val]);
  return {
    value: tf.gather(w, idx).mul(val).sum(1),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [i, v] = saved as [tf.Tensor2D, tf.Tensor2D];
      const updates = v.mul((dy as tf.Tensor1D).expandDims(1)).reshape([-1]);
      return [tf.scatterND(i.reshape([-1, 1]), updates, [FEATURE_DIM]), tf.zerosLike(i), tf.zerosLike(v)];
    },
  };
});

async function fit(rows: Row[]): Promise<InjectionModel> {
  const t0 = performance.now();
  const data = examples(rows);
  process.stderr.write(
    `${data.length} examples featurised in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const positives = data.filter((d) => d.y === 1).length;
  const weightOf = (y: number) =>
    y === 1 ? data.length / (2 * positives) : data.length / (2 * (data.length - positives));
  const w = tf.variable(tf.zeros([FEATURE_DIM]));
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
      const loss = tf.tidy(() => {
        // Only the weights of the features present are gathered: a batch costs its non-zeros, not FEATURE_DIM.
        const { idx, val } = batchTensors(data, batch);
        const y = tf.tensor1d(batch.map((k) => data[k]!.y));
        const sw = tf.tensor1d(batch.map((k) => weightOf(data[k]!.y)));
        return optimizer.minimize(() => {
          const logits = sparseLogits(w, idx, val).add(b);
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
  const threshold = Math.min(1, (benign[allowed] ?? 0) + 1e-6);
  const attacks = scored.filter((s) => s.label === 1);
  const recall = attacks.filter((s) => s.score >= threshold).length / attacks.length;
  const fpr = benign.filter((s) => s >= threshold).length / benign.length;
  const at = (f: number) => {
    const t = (benign[Math.floor(f * benign.length)] ?? 0) + 1e-6;
    return attacks.filter((s) => s.score >= t).length / attacks.length;
  };
  process.stderr.write(
    `recall at 1/2/4% FPR: ${[0.01, 0.02, 0.04].map((f) => at(f).toFixed(3)).join(' ')}\n`,
  );
  if (process.argv.includes('--show-errors'))
    rows.forEach((r, i) => {
      const hit = scored[i]!.score >= threshold;
      if (hit !== (r.label === 1))
        process.stderr.write(
          `${r.label ? 'MISS' : 'FP  '} ${scored[i]!.score.toFixed(2)} ${r.kind} ${r.id} ${r.text.slice(0, 140).replace(/\s+/g, ' ')}\n`,
        );
    });
  const byKind: Record<string, string> = {};
  for (const kind of [...new Set(rows.map((r) => r.kind))].sort()) {
    const of = scored.filter((_, i) => rows[i]!.kind === kind);
    byKind[kind] = `${of.filter((s) => s.score >= threshold).length}/${of.length}`;
  }
  return { threshold, recall, fpr, attacks: attacks.length, benign: benign.length, byKind };
}

async function main() {
  await tf.setBackend('wasm');
  const raw = fs.readFileSync(DATA, 'utf8');
  const train = raw
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => r.split === 'train');
  if (train.some((r) => !r.groups?.length))
    throw new Error(`${DATA}: training rows without groups; rerun scripts/guardrails/assemble_injection.py`);
  const fitRows = train.filter((r) => !inValidation(r));
  const validation = train.filter((r) => inValidation(r));
  process.stderr.write(`training on ${fitRows.length} rows, validating on ${validation.length}\n`);
  const pick = chooseThreshold(await fit(fitRows), validation);
  process.stderr.write(
    `validation: threshold ${pick.threshold.toFixed(4)}, recall ${pick.recall.toFixed(3)}, FPR ${pick.fpr.toFixed(3)}\n`,
  );
  process.stderr.write(`flagged by kind: ${JSON.stringify(pick.byKind)}\n`);
  if (process.argv.includes('--validate-only')) return;
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
