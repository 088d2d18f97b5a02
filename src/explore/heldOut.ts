/**
 * Held-out pairs as one batch, and the two numbers head importance needs for a head mask: the
 * book's mean sentence BLEU-2 of greedy translations (as evaluateRange scores held-out pairs) and
 * the teacher-forced loss. Runs in the worker (TensorFlow.js).
 *
 * Why one batch: greedyTranslate on 200 sentences takes ~1 s on the book's model (wasm), and head
 * importance needs it for ~50 masks; the batched decoder below does the 200 in one pass of
 * numSteps decoder steps.
 */
import { tf, Tensor } from '../model/tf';
import { tidyKeep } from '../model/tidy';
import { PositionMode } from '../model/config';
import { ForwardContext } from '../model/context';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { ParallelText, firstUnusedLine, tokenizeNmt } from '../data/tokenize';
import { preprocessLineRange } from '../data/lines';
import { buildArrayNmt } from '../data/arrays';
import { BatchTensors, batchTensors } from '../train/batch';
import { maskedSoftmaxCELoss } from '../train/loss';
import { bleu } from '../decode/bleu';
import { captureTeacherForced } from '../decode/teacherForced';
import { HeadMask } from '../model/headMask';
import { HeadStatsTable, averageHeadStats } from './headStats';
import type { MaskScore } from './importanceTypes';

/** The default number of held-out pairs (the heldOutCount setting's default). */
export const DEFAULT_HELD_OUT_COUNT = 200;

/**
 * The `count` pairs after the `numExamples` training pairs of the raw corpus text, preprocessed
 * and tokenized as evaluateRange reads them (the run's held-out BLEU).
 */
export function heldOutPairs(text: string, numExamples: number, count: number): ParallelText {
  return tokenizeNmt(preprocessLineRange(text, firstUnusedLine(numExamples), count));
}

/** Pairs as the model reads them: the training batch's arrays, and the references. */
export interface HeldOutBatch {
  size: number;
  numSteps: number;
  /** The reference translations, space-joined tokens (what BLEU compares against). */
  references: string[];
  tensors: BatchTensors;
  /** Disposes the tensors. */
  dispose(): void;
}

/** Encodes `pairs` as build_array_nmt does for training (<eos> appended, cut or padded). */
export function heldOutBatch(
  pairs: ParallelText,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  numSteps: number,
): HeldOutBatch {
  const size = pairs.source.length;
  if (size === 0) throw new RangeError('no held-out pairs: the corpus ends before them');
  const src = buildArrayNmt(pairs.source, srcVocab, numSteps);
  const tgt = buildArrayNmt(pairs.target, tgtVocab, numSteps);
  const tensors = batchTensors(
    { src: src.ids, srcValidLen: src.validLen, tgt: tgt.ids, tgtValidLen: tgt.validLen, size },
    numSteps,
    tgtVocab.bos,
  );
  return {
    size,
    numSteps,
    references: pairs.target.map((t) => t.join(' ')),
    tensors,
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}

/**
 * The book's per-sequence loss (maskedSoftmaxCELoss), teacher-forced, for every pair: (size).
 * `ctx` carries the head gates. Inference mode: no dropout.
 */
export function teacherForcedLosses(
  model: Transformer,
  batch: HeldOutBatch,
  ctx: ForwardContext,
): Float32Array {
  const t = batch.tensors;
  const losses = tf.tidy(() => {
    const { logits } = model.apply(t.encX, t.encValidLens, t.decX, ctx); // (size, steps, vocab)
    return maskedSoftmaxCELoss(logits, t.labels, t.labelValidLens); // (size)
  });
  const values = losses.dataSync() as Float32Array;
  losses.dispose();
  return values;
}

/**
 * predict_seq2seq's greedy loop for every pair at once: feed <bos>, then each row's argmax, for
 * numSteps steps (or until every row has emitted <eos>). Returns each row's tokens without <eos>,
 * as greedyTranslate's `tokens` (the test checks they agree sentence by sentence).
 */
export function greedyBatch(
  model: Transformer,
  batch: HeldOutBatch,
  tgtVocab: Vocab,
  ctx: ForwardContext,
  positionMode: PositionMode,
): string[][] {
  const { size, numSteps } = batch;
  const enc = tidyKeep(() =>
    model.encoder.apply(batch.tensors.encX, batch.tensors.encValidLens, ctx),
  );
  let state = model.decoder.initState(enc.output, enc.mask);
  const ids: number[][] = Array.from({ length: size }, () => []);
  const ended = new Array<boolean>(size).fill(false);
  let input = tf.fill([size, 1], tgtVocab.bos, 'int32'); // (size, 1)
  const freeCache = () => tf.dispose(state.cache.filter((t): t is Tensor => t !== null));
  try {
    for (let step = 0; step < numSteps && ended.includes(false); step++) {
      const out = tidyKeep(() => model.decoder.step(input, state, ctx, positionMode));
      freeCache();
      state = out.state;
      // argMax takes the first of equal logits, as greedyTranslate's argMaxOf.
      const next = tf.tidy(() => out.logits.reshape([size, -1]).argMax(-1)); // (size)
      const chosen = next.dataSync();
      tf.dispose([input, next, out.logits, ...out.selfWeights, ...out.crossWeights]);
      input = tf.tensor2d(chosen, [size, 1], 'int32');
      chosen.forEach((id, row) => {
        if (ended[row]) return;
        if (id === tgtVocab.eos) ended[row] = true;
        else ids[row].push(id);
      });
    }
  } finally {
    freeCache();
    tf.dispose([input, enc.output, enc.mask, ...enc.weights]);
  }
  return ids.map((row) => tgtVocab.decode(row));
}

export type { MaskScore } from './importanceTypes';

/** Greedy BLEU and teacher-forced loss of the batch under `ctx`'s head gates. */
export function scoreHeldOut(
  model: Transformer,
  batch: HeldOutBatch,
  tgtVocab: Vocab,
  ctx: ForwardContext,
  positionMode: PositionMode,
): MaskScore {
  const predictions = greedyBatch(model, batch, tgtVocab, ctx, positionMode);
  let bleuSum = 0;
  predictions.forEach((p, i) => (bleuSum += bleu(p.join(' '), batch.references[i], 2)));
  const losses = teacherForcedLosses(model, batch, ctx);
  let lossSum = 0;
  losses.forEach((l) => (lossSum += l));
  return { bleu: bleuSum / batch.size, loss: lossSum / batch.size };
}

/**
 * Per-head statistics averaged over held-out pairs, from each pair's teacher-forced attention
 * (the reference as decoder input, so every pair's rows are real tokens). ~200 forward passes
 * at batch 1 for 200 pairs.
 */
export function heldOutHeadStats(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  pairs: ParallelText,
  options: { numSteps: number; headMask?: HeadMask },
): HeadStatsTable {
  const maps = pairs.source.map((source, i) =>
    captureTeacherForced(
      model,
      srcVocab,
      tgtVocab,
      source.join(' '),
      pairs.target[i].join(' '),
      options.numSteps,
      { headMask: options.headMask },
    ),
  );
  return averageHeadStats(maps);
}
