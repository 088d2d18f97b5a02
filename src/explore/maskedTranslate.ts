/**
 * "Switch heads off and translate again": one sentence translated with a head mask, scored
 * against its reference where one is known, and compared token by token with the translation
 * the user already sees. Runs in the worker (TensorFlow.js).
 */
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { HeadMask, HeadRef, checkHeadMask, headsOff } from '../model/headMask';
import { Translation, greedyTranslate } from '../decode/greedy';
import { beamTranslate } from '../decode/beam';
import { bleu } from '../decode/bleu';

export interface MaskedTranslateRequest {
  sentence: string;
  /** The heads' gates (model/headMask.ts): 0 switches a head off. */
  mask: HeadMask;
  /** The reference translation, if known: BLEU-2 (the book's) against it. */
  reference?: string;
  /** The tokens of the translation shown before (the unmasked one): `changes` compares to it. */
  original?: readonly string[];
  numSteps: number;
  positionMode?: PositionMode;
  /** Beam search with this beam (> 1); greedy otherwise. */
  beamSize?: number;
}

/** One entry of a token diff: kept, only in the original, or only in the masked translation. */
export interface TokenChange {
  op: 'same' | 'removed' | 'added';
  token: string;
}

export interface MaskedTranslation {
  /** The masked translation with its attention maps (masked heads' weights still shown). */
  translation: Translation;
  /** The heads that were off. */
  off: HeadRef[];
  /** BLEU-2 against `reference`, or null without one. */
  bleu: number | null;
  /** Diff from `original` to the masked tokens (empty without an original). */
  changes: TokenChange[];
  /** Worker-side time of the translation, ms. */
  milliseconds: number;
}

/**
 * Translates `request.sentence` with `request.mask` (checked: a RangeError names what does not
 * fit the model).
 */
export function translateMasked(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  request: MaskedTranslateRequest,
): MaskedTranslation {
  checkHeadMask(model.config, request.mask);
  const started = performance.now();
  const options = {
    numSteps: request.numSteps,
    positionMode: request.positionMode,
    headMask: request.mask,
  };
  const beamSize = request.beamSize ?? 1;
  const translation =
    beamSize > 1
      ? beamTranslate(model, srcVocab, tgtVocab, request.sentence, { ...options, beamSize })
      : greedyTranslate(model, srcVocab, tgtVocab, request.sentence, options);
  const milliseconds = performance.now() - started;
  return {
    translation,
    off: headsOff(request.mask),
    bleu:
      request.reference === undefined
        ? null
        : bleu(translation.translation, request.reference.trim(), 2),
    changes: request.original ? tokenDiff(request.original, translation.tokens) : [],
    milliseconds,
  };
}

/**
 * The shortest edit from `before` to `after` (longest common subsequence): kept tokens in order,
 * each removal before the additions that replace it.
 */
export function tokenDiff(before: readonly string[], after: readonly string[]): TokenChange[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: the LCS length of before[i..] and after[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] =
        before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: TokenChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ op: 'same', token: before[i++] });
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: 'removed', token: before[i++] });
    } else {
      out.push({ op: 'added', token: after[j++] });
    }
  }
  return out;
}
