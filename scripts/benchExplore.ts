/**
 * `npx tsx scripts/benchExplore.ts --model DIR [--data FILE] [--count 200] [--runs 50]
 * [--backend auto|wasm|cpu]`: the speed of issue 13's explore core on a trained checkpoint
 * (the default CLI run's, `node dist/cli.js train --out DIR`), worker-side, in this thread:
 * - masked re-translation of one sentence (encoder layer 1 head 1 off; goal ≤ 50 ms click to
 *   translation, of which this is the model's part), median and p95 over `runs`;
 * - head importance over `count` held-out pairs (goal ≤ 30 s for 200), with its pruning curve.
 * Prints one JSON line. Timings on a shared machine are noisy: compare within one run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BackendChoice, selectBackend } from '../src/backend/backend';
import { loadCheckpoint } from '../src/checkpoint/checkpoint';
import { greedyTranslate } from '../src/decode/greedy';
import { headsOffMask } from '../src/model/headMask';
import { translateMasked } from '../src/explore/maskedTranslate';
import { headImportance } from '../src/explore/headImportance';
import { heldOutPairs } from '../src/explore/heldOut';

const SENTENCES = ['go .', 'i lost .', "he's calm .", "i'm home ."];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      data: {
        type: 'string',
        default: path.resolve(__dirname, '../../shared/data/fra-eng/fra.txt'),
      },
      count: { type: 'string', default: '200' },
      runs: { type: 'string', default: '50' },
      backend: { type: 'string', default: 'auto' },
    },
  });
  if (!values.model) throw new Error('--model DIR (a checkpoint) is required');
  const backend = await selectBackend(values.backend as BackendChoice);
  const { model, srcVocab, tgtVocab, hyperparameters: h } = await loadCheckpoint(values.model);
  const mask = headsOffMask(model.config, [{ kind: 'encoderSelf', layer: 0, head: 0 }]);
  const request = (i: number) => ({ sentence: SENTENCES[i % 4], mask, numSteps: h.numSteps });
  for (let i = 0; i < 4; i++) translateMasked(model, srcVocab, tgtVocab, request(i)); // warm-up
  const masked: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    let t0 = performance.now();
    translateMasked(model, srcVocab, tgtVocab, request(i));
    masked.push(performance.now() - t0);
    t0 = performance.now();
    greedyTranslate(model, srcVocab, tgtVocab, SENTENCES[i % 4], h);
    plain.push(performance.now() - t0);
  }
  masked.sort((a, b) => a - b);
  plain.sort((a, b) => a - b);
  const text = readFileSync(values.data, 'utf8');
  const pairs = heldOutPairs(text, h.numExamples, Number(values.count));
  const importance = await headImportance(model, srcVocab, tgtVocab, pairs, {
    numSteps: h.numSteps,
  });
  const summary = {
    backend: backend.name,
    maskedTranslationMs: { median: percentile(masked, 50), p95: percentile(masked, 95) },
    plainTranslationMs: { median: percentile(plain, 50), p95: percentile(plain, 95) },
    headImportance: {
      pairs: importance.count,
      seconds: importance.seconds,
      baseline: importance.baseline,
      mostImportant: [...importance.heads].sort((a, b) => b.gradient - a.gradient).slice(0, 3),
      pruningBleu: importance.pruning.map((p) => Number(p.bleu.toFixed(4))),
    },
  };
  console.log(JSON.stringify(summary));
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
