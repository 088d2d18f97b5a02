/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers") over the
 * encoder's self-attention layers: per layer, the heads' mean attention with the residual
 * connection added as the identity, A = 0.5·W + 0.5·I, rows renormalised; the rollout up to layer
 * l is A_l · … · A_1. Plain data (no tfjs): it reads the maps a translation returns, so the
 * attention panel's webview computes it too (the layer lint lets webviews import it).
 */
import type { AttentionMaps } from '../decode/attentionMaps';
import type { HeadMask } from '../model/headMask';

export interface Rollout {
  /** The real source tokens (<eos> included): rows and columns of every matrix. */
  tokens: string[];
  /**
   * [layer][query][key]: how much of position `query`'s representation after encoder layer
   * `layer` (0-based) comes from input token `key`. Every row sums to 1. The last one is the map
   * to show; the others are the rollout layer by layer.
   */
  layers: number[][][];
}

/**
 * The rollout of `maps.encoderSelf` over the real source positions. With `mask`, only the heads
 * that are on (gate ≠ 0) are averaged (a layer with every head off passes only the residual: I).
 */
export function encoderRollout(maps: AttentionMaps, mask?: HeadMask): Rollout {
  const n = maps.sourceValidLen;
  const tokens = maps.sourceTokens.slice(0, n);
  const layers: number[][][] = [];
  let acc = identity(n);
  maps.encoderSelf.forEach((heads, l) => {
    const on = heads.filter((_, h) => !mask || mask.encoderSelf[l][h] !== 0);
    const a = identity(n).map((row, q) =>
      row.map((id, k) => {
        const mean = on.length ? on.reduce((s, head) => s + (head[q][k] ?? 0), 0) / on.length : 0;
        return on.length ? 0.5 * mean + 0.5 * id : id;
      }),
    );
    acc = matMul(normalizeRows(a), acc);
    layers.push(acc);
  });
  return { tokens, layers };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
}

function normalizeRows(a: number[][]): number[][] {
  return a.map((row) => {
    const s = row.reduce((x, y) => x + y, 0);
    return row.map((v) => v / s);
  });
}

/** (n, n) · (n, n). */
function matMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}
