// Type only: the extension host bundles src/config/ and must not pull in src/model/.
import type { ModelConfig } from '../model/config';
import type { Hyperparameters } from './hyperparameters';

/**
 * The architecture a set of hyperparameters builds, for vocabularies of the given sizes: what
 * training builds and what loading a checkpoint rebuilds (the two must agree to the last field).
 */
export function modelConfigOf(
  h: Hyperparameters,
  srcVocabSize: number,
  tgtVocabSize: number,
): ModelConfig {
  return {
    numHiddens: h.numHiddens,
    numLayers: h.numLayers,
    numHeads: h.numHeads,
    ffnNumHiddens: h.ffnNumHiddens,
    dropout: h.dropout,
    srcVocabSize,
    tgtVocabSize,
    attentionFunction: h.attentionFunction,
  };
}
