/**
 * One head, step by step (bertviz's neuron view with this model's numbers): for one query of one
 * head, the query vector, the keys, the scores, the mask, the softmax weights and the weighted
 * sum of the values that leaves the head. The numbers are read from the greedy translation itself
 * (an attention probe), so `weights` is exactly the heatmap's row. Runs in the worker.
 */
import { tf, Tensor } from '../model/tf';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { HeadMask, HeadRef, checkHeadRef } from '../model/headMask';
import { AttentionSeen } from '../model/attentionProbe';
import { MultiHeadAttention } from '../model/multiHeadAttention';
import { Translation, greedyTranslate } from '../decode/greedy';
import { dotProductScores, additiveScores, maskedSoftmaxRow } from './scores';

export interface WalkthroughRequest extends HeadRef {
  sentence: string;
  /** The query row of the heatmap (0-based): a source position, or a decoding step. */
  query: number;
  numSteps: number;
  positionMode?: PositionMode;
  headMask?: HeadMask;
}

export interface HeadWalkthrough extends HeadRef {
  query: number;
  queryToken: string;
  /** The keys the query could address: every source position, or the steps so far. */
  keyTokens: string[];
  /** 'dotProduct': score = q·k/√d; 'additive': score = w_v·tanh(W_q q + W_k k) (the book's). */
  scoring: 'dotProduct' | 'additive';
  /** d = numHiddens / numHeads: the length of this head's q, k, v. */
  d: number;
  /** q = x W_q, this head's d columns. */
  queryVector: number[];
  /** k_j = x_j W_k and v_j = x_j W_v for every key j (masked ones too): (keys, d). */
  keys: number[][];
  values: number[][];
  /** The score of every key, computed here in float64 from q and k. */
  scores: number[];
  /** Whether the mask lets the query see key j (padding and future keys do not). */
  visible: boolean[];
  /** softmax over the visible scores, computed here (0 where masked). */
  softmax: number[];
  /** The weights the model used: the heatmap's row (null where masked). */
  weights: (number | null)[];
  /** Σ_j weights_j v_j, computed here: what leaves the head before its gate and W_o. */
  output: number[];
  /** The same as the model computed it (float32). */
  modelOutput: number[];
  /** The head's gate (0: switched off; its output never reaches W_o). */
  gate: number;
  translation: Translation;
}

/** What the probe keeps of the chosen layer at the chosen query (plain arrays). */
interface Captured {
  q: number[];
  k: number[][];
  v: number[][];
  visible: boolean[];
  weights: number[];
  modelOutput: number[];
  gate: number;
}

/**
 * Translates greedily (with `request.headMask`) and returns the walk-through of the request's
 * head and query. RangeError: a head or query the model or the translation does not have.
 */
export function headWalkthrough(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  request: WalkthroughRequest,
): HeadWalkthrough {
  const { kind, layer, head, query } = request;
  checkHeadRef(model.config, request);
  let captured: Captured | null = null;
  let calls = 0;
  const probe = (seen: AttentionSeen) => {
    if (seen.slot.kind !== kind || seen.slot.layer !== layer) return;
    // Encoder self-attention: one pass, every query. Decoder kinds: one call per step, 1 query.
    const row = kind === 'encoderSelf' ? query : 0;
    if (kind === 'encoderSelf' || calls++ === query) captured = capture(seen, head, row);
  };
  const translation = greedyTranslate(model, srcVocab, tgtVocab, request.sentence, {
    numSteps: request.numSteps,
    positionMode: request.positionMode,
    headMask: request.headMask,
    probe,
  });
  const heatmapRow = translation.attention[kind][layer]?.[head]?.[query];
  if (!captured || !heatmapRow) {
    throw new RangeError(`query ${query} is not a row of the ${kind} heatmap of this translation`);
  }
  const c: Captured = captured;
  const mha = attentionOf(model, request);
  const scores = mha.additive ? additiveScores(mha.additive, c.q, c.k) : dotProductScores(c.q, c.k);
  const softmax = maskedSoftmaxRow(scores, c.visible);
  const d = c.q.length;
  return {
    kind,
    layer,
    head,
    query,
    ...tokensOf(translation, request, c.k.length),
    scoring: mha.additive ? 'additive' : 'dotProduct',
    d,
    queryVector: c.q,
    keys: c.k,
    values: c.v,
    scores,
    visible: c.visible,
    softmax,
    // The decoder's self-attention at step t had t+1 keys; the heatmap row is as wide as the
    // steps taken, later keys null.
    weights: heatmapRow.map((_, j) => (c.visible[j] ? c.weights[j] : null)),
    output: Array.from({ length: d }, (_, i) =>
      c.v.reduce((s, v, j) => s + (c.visible[j] ? c.weights[j] * v[i] : 0), 0),
    ),
    modelOutput: c.modelOutput,
    gate: c.gate,
    translation,
  };
}

/** Reads head `h`, query row `row` of a probed layer (batch 1). */
function capture(seen: AttentionSeen, h: number, row: number): Captured {
  const d = seen.q.shape[1]! / seen.heads;
  const cols = (t: Tensor) => tf.tidy(() => t.slice([0, h * d], [-1, d]).arraySync() as number[][]);
  const q = cols(seen.q)[row];
  const k = cols(seen.k);
  const v = cols(seen.v);
  const shape = [seen.batch, seen.heads, seen.queries, seen.keys];
  const visible = seen.mask
    ? tf.tidy(() => tf.broadcastTo(seen.mask!, shape).arraySync() as number[][][][])[0][h][row]
    : new Array<number>(seen.keys).fill(1);
  const weights = (seen.weights.arraySync() as number[][][][])[0][h][row];
  const modelOutput = cols(seen.headsOutput)[row];
  const gate = seen.gate ? seen.gate.dataSync()[h] : 1;
  return { q, k, v, visible: visible.map((m) => m !== 0), weights, modelOutput, gate };
}

/** The MultiHeadAttention a head ref names. */
function attentionOf(model: Transformer, ref: HeadRef): MultiHeadAttention {
  if (ref.kind === 'encoderSelf') return model.encoder.blks[ref.layer].attention;
  const blk = model.decoder.blks[ref.layer];
  return ref.kind === 'decoderSelf' ? blk.attention1 : blk.attention2;
}

/** The query's token and the key tokens, as the heatmap labels them. */
function tokensOf(t: Translation, ref: HeadRef & { query: number }, keys: number) {
  const a = t.attention;
  const queryTokens = ref.kind === 'encoderSelf' ? a.sourceTokens : a.targetInputTokens;
  const keyTokens = ref.kind === 'decoderSelf' ? a.targetInputTokens : a.sourceTokens;
  return { queryToken: queryTokens[ref.query], keyTokens: keyTokens.slice(0, keys) };
}
