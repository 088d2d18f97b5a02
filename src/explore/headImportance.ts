/**
 * Head importance over held-out pairs (Michel, Levy & Neubig 2019, "Are Sixteen Heads Really
 * Better than One?"): for every head, what masking it alone costs (BLEU drop, loss increase) and
 * the gradient score I_h = mean over pairs of |ξ_h · ∂L(x)/∂ξ_h| at ξ = 1 (ξ_h the head's gate,
 * L(x) one pair's teacher-forced loss); then the pruning curve: BLEU and loss with the k least
 * important heads masked, k = 0 … all. Runs in the worker (TensorFlow.js).
 *
 * Async only so that it can be cancelled: it yields to the event loop between masks (a worker's
 * cancel message gets through) and checks `signal` there.
 */
import { tf, Tensor } from '../model/tf';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { ParallelText } from '../data/tokenize';
import { HeadRef, everyHead, headsOffMask } from '../model/headMask';
import { ATTENTION_KINDS, AttentionKind } from '../decode/attentionMaps';
import { headGatesFromTensors } from '../model/headGates';
import { withInference } from '../decode/stepDecode';
import { maskedSoftmaxCELoss } from '../train/loss';
import { HeldOutBatch, heldOutBatch, scoreHeldOut } from './heldOut';
import type {
  HeadImportance,
  HeadScore,
  MaskScore,
  ImportanceOrder,
  ImportancePhase,
  ImportanceProgress,
  PruningPoint,
} from './importanceTypes';

export type {
  HeadImportance,
  HeadScore,
  ImportanceOrder,
  ImportancePhase,
  ImportanceProgress,
  PruningPoint,
} from './importanceTypes';

export interface HeadImportanceOptions {
  numSteps: number;
  positionMode?: PositionMode;
  /** Pruning order; default 'gradient' (Michel et al.'s). */
  order?: ImportanceOrder;
  /** Skip the pruning curve (only the per-head scores). */
  pruning?: boolean;
  onProgress?: ImportanceProgress;
  /** Aborting it rejects with signal.reason at the next unit of work. */
  signal?: AbortSignal;
}

/** Lets a pending cancel message in, then stops if it came. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}

/** The held-out score with exactly the heads `off` masked. */
function scoreWithOff(
  model: Transformer,
  batch: HeldOutBatch,
  tgtVocab: Vocab,
  off: readonly HeadRef[],
  positionMode: PositionMode,
): MaskScore {
  const headMask = off.length ? headsOffMask(model.config, off) : undefined;
  return withInference(model, { headMask }, (ctx) =>
    scoreHeldOut(model, batch, tgtVocab, ctx, positionMode),
  );
}

/**
 * Michel et al.'s gradient importance: [kind][layer][head] mean over pairs of |∂L(x)/∂ξ|, from
 * one backward pass with a gate per pair (gates (numLayers, size, numHeads) per kind, all ones).
 */
export function gradientImportance(
  model: Transformer,
  batch: HeldOutBatch,
): Record<AttentionKind, number[][]> {
  const { numLayers, numHeads } = model.config;
  const t = batch.tensors;
  const size = batch.size;
  return tf.tidy(() => {
    const ones = ATTENTION_KINDS.map(() => tf.ones([numLayers, size, numHeads]));
    const lossOf = (...gates: Tensor[]) => {
      const perKind = Object.fromEntries(ATTENTION_KINDS.map((k, i) => [k, gates[i]]));
      // The split gates stay to the tidy: the backward pass reads them.
      const ctx = { training: false, headGates: headGatesFromTensors(perKind) };
      const { logits } = model.apply(t.encX, t.encValidLens, t.decX, ctx);
      return tf.sum(maskedSoftmaxCELoss(logits, t.labels, t.labelValidLens));
    };
    // The sum's gradient with respect to pair b's gates is ∂L(x_b)/∂ξ: per-pair gradients.
    const grads = tf.grads(lossOf)(ones); // per kind (numLayers, size, numHeads)
    const out = {} as Record<AttentionKind, number[][]>;
    ATTENTION_KINDS.forEach((kind, i) => {
      out[kind] = tf.mean(tf.abs(grads[i]), 1).arraySync() as number[][];
    });
    return out;
  });
}

/**
 * Scores every head on `pairs` (see the file comment); `count` is pairs.source.length. Throws a
 * RangeError for no pairs; rejects with the signal's reason when cancelled.
 */
export async function headImportance(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  pairs: ParallelText,
  options: HeadImportanceOptions,
): Promise<HeadImportance> {
  const started = performance.now();
  const positionMode = options.positionMode ?? 'correct';
  const order = options.order ?? 'gradient';
  const heads = everyHead(model.config);
  const total = 2 + heads.length + (options.pruning === false ? 0 : heads.length);
  let done = 0;
  const step = async (phase: ImportancePhase) => {
    options.onProgress?.({ phase, done: ++done, total });
    await checkpoint(options.signal);
  };
  await checkpoint(options.signal);
  const batch = heldOutBatch(pairs, srcVocab, tgtVocab, options.numSteps);
  try {
    const score = (off: readonly HeadRef[]) =>
      scoreWithOff(model, batch, tgtVocab, off, positionMode);
    const baseline = score([]);
    await step('baseline');
    const gradients = gradientImportance(model, batch);
    await step('gradient');
    const scores: HeadScore[] = [];
    for (const ref of heads) {
      const s = score([ref]);
      scores.push({
        ...ref,
        bleuDrop: baseline.bleu - s.bleu,
        lossIncrease: s.loss - baseline.loss,
        gradient: gradients[ref.kind][ref.layer][ref.head],
      });
      await step('heads');
    }
    const pruning: PruningPoint[] = [{ k: 0, head: null, ...baseline }];
    if (options.pruning !== false) {
      const ranked = leastImportantFirst(scores, order);
      for (let k = 1; k <= ranked.length; k++) {
        pruning.push({ k, head: ranked[k - 1], ...score(ranked.slice(0, k)) });
        await step('pruning');
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return { count: batch.size, baseline, heads: scores, order, pruning, seconds };
  } finally {
    batch.dispose();
  }
}

/** The heads, least important first by `order` (ties: everyHead order). */
export function leastImportantFirst(
  scores: readonly HeadScore[],
  order: ImportanceOrder,
): HeadRef[] {
  return [...scores]
    .sort((a, b) => a[order] - b[order])
    .map(({ kind, layer, head }) => ({ kind, layer, head }));
}
