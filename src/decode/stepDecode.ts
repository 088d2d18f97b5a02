import { tf, Tensor } from '../model/tf';
import { tidyKeep } from '../model/tidy';
import { PositionMode } from '../model/config';
import { ForwardContext } from '../model/context';
import { Transformer } from '../model/transformer';
import { DecoderState } from '../model/decoder';
import { HeadMask } from '../model/headMask';
import { disposeHeadGates, headGatesOf } from '../model/headGates';
import { AttentionProbe } from '../model/attentionProbe';
import { Vocab } from '../data/vocab';
import { AttentionGrid, AttentionMaps } from './attentionMaps';
import { EncodedSource, sourceSeen } from './encodeSource';
import type { Translation } from './greedy';

/** What every decoding entry point may add to its inference pass. */
export interface InferenceOptions {
  /** Heads switched off (model/headMask.ts); absent: every head on, no gate computed. */
  headMask?: HeadMask;
  /** Sees every attention layer's numbers (model/attentionProbe.ts). */
  probe?: AttentionProbe;
}

/**
 * Runs `fn` with an inference context (no dropout) carrying the options' head gates and probe;
 * the gate tensors are disposed afterwards.
 */
export function withInference<T>(
  model: Transformer,
  options: InferenceOptions,
  fn: (ctx: ForwardContext) => T,
): T {
  const headGates = options.headMask ? headGatesOf(model.config, options.headMask) : undefined;
  try {
    return fn({ training: false, headGates, probe: options.probe });
  } finally {
    disposeHeadGates(headGates);
  }
}

/** The encoder's side of step-by-step decoding, batch 1. */
export interface SourceMemory {
  encOutputs: Tensor; // (1, numSteps, hidden)
  encMask: Tensor; // (1, 1, 1, numSteps)
  /** Keys the attention can see: min(validLen, numSteps). */
  visible: number;
}

export interface StepRun {
  /** The token fed at each step: <bos>, then what `next` returned. */
  inputIds: number[];
  attention: Pick<AttentionMaps, 'decoderSelf' | 'encoderDecoder'>;
}

/**
 * The book's predict_seq2seq loop at batch 1: feeds <bos>, then whatever `next(logits, step)`
 * returns (null stops), for at most numSteps steps, and collects each step's decoder attention
 * in the grid layout (future keys and padded source keys null). `logits` (1, 1, vocab) lives
 * only during the call. Leaves the memory's tensors to the caller.
 */
export function decodeOneByOne(
  model: Transformer,
  memory: SourceMemory,
  ctx: ForwardContext,
  opts: { bos: number; numSteps: number; positionMode: PositionMode },
  next: (logits: Tensor, step: number) => number | null,
): StepRun {
  const { numSteps, positionMode } = opts;
  let state: DecoderState = model.decoder.initState(memory.encOutputs, memory.encMask);
  const decoderSelf: AttentionGrid = model.decoder.blks.map(() => []);
  const encoderDecoder: AttentionGrid = model.decoder.blks.map(() => []);
  const inputIds: number[] = [];
  let input: number | null = opts.bos;
  try {
    for (let step = 0; step < numSteps && input !== null; step++) {
      inputIds.push(input);
      const fed: number = input;
      const out = tidyKeep(() =>
        model.decoder.step(tf.tensor2d([[fed]], [1, 1], 'int32'), state, ctx, positionMode),
      );
      tf.dispose(state.cache.filter((t): t is Tensor => t !== null));
      state = out.state;
      out.selfWeights.forEach((w, layer) =>
        headRows(w).forEach((row, head) =>
          (decoderSelf[layer][head] ??= []).push(padRow(row, numSteps)),
        ),
      );
      out.crossWeights.forEach((w, layer) =>
        headRows(w).forEach((row, head) =>
          (encoderDecoder[layer][head] ??= []).push(
            row.map((v, k) => (k < memory.visible ? v : null)),
          ),
        ),
      );
      try {
        input = next(out.logits, step);
      } finally {
        tf.dispose([out.logits, ...out.selfWeights, ...out.crossWeights]);
      }
    }
  } finally {
    tf.dispose(state.cache.filter((t): t is Tensor => t !== null));
  }
  const steps = inputIds.length;
  // Decoder self-attention grows one key per step: trim the square to the steps taken.
  const trimmed = decoderSelf.map((layer) =>
    layer.map((head) => head.map((row) => row.slice(0, steps))),
  );
  return { inputIds, attention: { decoderSelf: trimmed, encoderDecoder } };
}

/** A step's weights (1, heads, 1, keys) as one row of keys per head. */
function headRows(w: Tensor): number[][] {
  return (w.arraySync() as number[][][][])[0].map((rows) => rows[0]);
}

/** A decoder self-attention row of step t (t+1 keys) as numSteps entries, future keys null. */
function padRow(row: number[], width: number): (number | null)[] {
  return Array.from({ length: width }, (_, k) => (k < row.length ? row[k] : null));
}

/**
 * The Translation of a decoded sentence, greedy or beam: `inputIds` were fed (<bos> first),
 * `outputIds` came out (<eos> last if it ended), `attention` is the decoder's for those steps.
 */
export function translationOf(
  src: EncodedSource & { sentence: string },
  vocabs: { srcVocab: Vocab; tgtVocab: Vocab },
  inputIds: readonly number[],
  outputIds: readonly number[],
  attention: StepRun['attention'],
): Translation {
  const { srcVocab, tgtVocab } = vocabs;
  const tokens = tgtVocab.decode(outputIds.filter((id) => id !== tgtVocab.eos));
  return {
    source: src.sentence,
    sourceTokens: src.sourceTokens,
    // numSteps is the padded length: the model saw that many source tokens at most.
    ...sourceSeen(src.sourceTokens, srcVocab, src.padded.length),
    tokens,
    translation: tokens.join(' '),
    attention: {
      sourceTokens: srcVocab.decode(src.padded),
      sourceValidLen: src.visible,
      targetInputTokens: tgtVocab.decode(inputIds),
      outputTokens: tgtVocab.decode(outputIds),
      encoderSelf: src.encoderSelf,
      ...attention,
    },
  };
}
