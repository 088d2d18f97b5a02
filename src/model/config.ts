/** The architecture's hyperparameters (the book's 10.7 experiment in the defaults). */
export interface ModelConfig {
  numHiddens: number;
  numLayers: number;
  numHeads: number;
  ffnNumHiddens: number;
  dropout: number;
  srcVocabSize: number;
  tgtVocabSize: number;
  /**
   * The scoring function inside every attention layer: `dotProduct` (the book's
   * DotProductAttention, the default) or `additive` (its AdditiveAttention, §10.3.2, with
   * numHiddens / numHeads hidden units per head).
   */
  attentionFunction?: AttentionFunction;
}

/** The attention scoring function of every MultiHeadAttention (see ModelConfig). */
export type AttentionFunction = 'dotProduct' | 'additive';

/**
 * Where the one-token decoder input of step t gets its positional encoding:
 * `correct` — position t (the default); `book` — position 0 at every step, as the book's code does.
 */
export type PositionMode = 'correct' | 'book';
