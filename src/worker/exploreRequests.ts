/**
 * The attention panel's explore requests in the worker: a sentence translated again with heads
 * switched off, and one head step by step (src/explore/), answered as plain-data replies.
 */
import type { LoadedCheckpoint } from '../checkpoint/checkpoint';
import { headWalkthrough } from '../explore/headWalkthrough';
import { translateMasked } from '../explore/maskedTranslate';
import { headsOffMask } from '../model/headMask';
import type {
  MaskedResult,
  MaskedTranslateRequestMessage,
  WalkthroughRequestMessage,
  WalkthroughResult,
} from '../shared/protocol';

/** `msg.sentence` with `msg.off` switched off; RangeError for a head the model lacks. */
export function maskedResult(
  ck: LoadedCheckpoint,
  msg: MaskedTranslateRequestMessage,
): MaskedResult {
  const r = translateMasked(ck.model, ck.srcVocab, ck.tgtVocab, {
    sentence: msg.sentence,
    mask: headsOffMask(ck.hyperparameters, msg.off),
    reference: msg.reference,
    original: msg.original,
    numSteps: ck.hyperparameters.numSteps,
    positionMode: msg.positionMode,
    beamSize: msg.beamSize,
  });
  return {
    translation: r.translation.translation,
    tokens: r.translation.tokens,
    attention: r.translation.attention,
    off: r.off,
    bleu: r.bleu,
    changes: r.changes,
    milliseconds: r.milliseconds,
  };
}

/** The walk-through of one head at one query, with `msg.off` switched off. */
export function walkthroughResult(
  ck: LoadedCheckpoint,
  msg: WalkthroughRequestMessage,
): WalkthroughResult {
  const { kind, layer, head, query } = msg;
  const { translation, ...steps } = headWalkthrough(ck.model, ck.srcVocab, ck.tgtVocab, {
    kind,
    layer,
    head,
    query,
    sentence: msg.sentence,
    numSteps: ck.hyperparameters.numSteps,
    positionMode: msg.positionMode,
    headMask: headsOffMask(ck.hyperparameters, msg.off),
  });
  return { ...steps, translation: translation.translation };
}
