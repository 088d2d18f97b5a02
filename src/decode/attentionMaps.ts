/**
 * Attention weights as plain arrays for display and export: one grid per kind, indexed
 * [layer][head][query][key], with `null` where a key is masked (padding, or a future step).
 */
export type AttentionGrid = (number | null)[][][][];

export interface AttentionMaps {
  /** Encoder positions (queries and keys of encoder self-attention), padded to numSteps. */
  sourceTokens: string[];
  /** Real source tokens (<eos> included); keys at or past it are masked. */
  sourceValidLen: number;
  /** Decoder queries: the token fed at each step (<bos>, then the previous outputs). */
  targetInputTokens: string[];
  /** What each step produced (the last one may be <eos>). */
  outputTokens: string[];
  encoderSelf: AttentionGrid; // (layers, heads, numSteps, numSteps)
  decoderSelf: AttentionGrid; // (layers, heads, steps, steps)
  encoderDecoder: AttentionGrid; // (layers, heads, steps, numSteps)
}

export type AttentionKind = 'encoderSelf' | 'decoderSelf' | 'encoderDecoder';
export const ATTENTION_KINDS: readonly AttentionKind[] = [
  'encoderSelf',
  'decoderSelf',
  'encoderDecoder',
];

/** (layers, heads, queries, keys) of a grid. */
export function gridShape(grid: AttentionGrid): [number, number, number, number] {
  const layers = grid.length;
  const heads = grid[0]?.length ?? 0;
  const queries = grid[0]?.[0]?.length ?? 0;
  const keys = grid[0]?.[0]?.[0]?.length ?? 0;
  return [layers, heads, queries, keys];
}

/** Sets keys >= validKeys of a (heads, queries, keys) block to null (masked). */
export function maskKeys(block: number[][][], validKeys: number): (number | null)[][][] {
  return block.map((head) => head.map((row) => row.map((w, k) => (k < validKeys ? w : null))));
}
