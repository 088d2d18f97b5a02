/**
 * The two scoring functions and the masked softmax of one attention row, in float64 on plain
 * arrays: the walk-through recomputes a head's numbers with them (headWalkthrough.ts).
 */
import { AdditiveAttention } from '../model/additiveAttention';

/** q·k_j/√d for every key (the book's DotProductAttention). q (d), keys (K, d). */
export function dotProductScores(q: readonly number[], keys: readonly number[][]): number[] {
  const scale = 1 / Math.sqrt(q.length);
  return keys.map((k) => k.reduce((s, kj, i) => s + kj * q[i], 0) * scale);
}

/**
 * w_v·tanh(W_q q + W_k k_j) for every key (the book's AdditiveAttention, its weights shared by
 * the heads). Reads the weights from the module (PyTorch's (out, in) layout).
 */
export function additiveScores(
  additive: AdditiveAttention,
  q: readonly number[],
  keys: readonly number[][],
): number[] {
  const Wq = additive.W_q.weight.arraySync() as number[][]; // (hidden, d)
  const Wk = additive.W_k.weight.arraySync() as number[][]; // (hidden, d)
  const wv = (additive.w_v.weight.arraySync() as number[][])[0]; // (hidden)
  const project = (W: number[][], x: readonly number[]) =>
    W.map((row) => row.reduce((s, w, i) => s + w * x[i], 0));
  const qh = project(Wq, q);
  return keys.map((k) => {
    const kh = project(Wk, k);
    return wv.reduce((s, w, i) => s + w * Math.tanh(qh[i] + kh[i]), 0);
  });
}

/** softmax over the visible entries of `scores` (0 elsewhere); all 0 if none is visible. */
export function maskedSoftmaxRow(scores: readonly number[], visible: readonly boolean[]): number[] {
  const max = Math.max(...scores.filter((_, j) => visible[j]));
  const exps = scores.map((s, j) => (visible[j] ? Math.exp(s - max) : 0));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => (sum > 0 ? e / sum : 0));
}
