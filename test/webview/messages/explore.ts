/**
 * The host's answers to the attention panel's explore requests, computed by the worker's own
 * code (src/worker/exploreRequests.ts) on the harness's random model: a masked translation of
 * the first item and one head step by step.
 */
import type { LoadedCheckpoint } from '../../../src/checkpoint/checkpoint';
import type { Vocab } from '../../../src/data/vocab';
import type { Transformer } from '../../../src/model/transformer';
import type {
  HeadRef,
  HeadWalkthroughMessage,
  MaskedTranslationMessage,
  ModelTarget,
  TranslationItem,
} from '../../../src/shared/protocol';
import { maskedResult, walkthroughResult } from '../../../src/worker/exploreRequests';

/** The heads the flow switches off: encoder self layer 1 head 1 (from its heatmap). */
export const MASKED_OFF: HeadRef[] = [{ kind: 'encoderSelf', layer: 0, head: 0 }];
/** The head the flow steps through: encoder–decoder layer 1 head 1, query 0. */
export const WALKED = { kind: 'encoderDecoder', layer: 0, head: 0, query: 0 } as const;

export function exploreMessages(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  numSteps: number,
  item: TranslationItem,
) {
  const ck = {
    model,
    srcVocab,
    tgtVocab,
    hyperparameters: { ...model.config, numSteps },
  } as unknown as LoadedCheckpoint;
  const target: ModelTarget = {
    checkpointDir: '',
    positionMode: 'correct',
    backend: 'cpu',
    wasmDir: '',
    gpuModulePaths: [],
  };
  const result = maskedResult(ck, {
    type: 'maskedTranslate',
    requestId: 1,
    ...target,
    sentence: item.source,
    reference: item.reference,
    original: item.translation.split(' '),
    off: MASKED_OFF,
  });
  const walkthrough = walkthroughResult(ck, {
    type: 'headWalkthrough',
    requestId: 2,
    ...target,
    sentence: item.source,
    ...WALKED,
    off: [],
  });
  const masked: MaskedTranslationMessage = {
    type: 'maskedTranslation',
    translationId: item.id,
    off: MASKED_OFF,
    result,
  };
  const walk: HeadWalkthroughMessage = {
    type: 'headWalkthrough',
    translationId: item.id,
    walkthrough,
  };
  return { masked, walk };
}
