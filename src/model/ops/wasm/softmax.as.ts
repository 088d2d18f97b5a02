// AssemblyScript: the masked softmax over the keys of ops/groupedAttention.ts, with the dropout
// of its weights, and the backward pass of both, one loop each (softmaxKernel.ts calls them).
// Scores, weights and masks are rows of K values ordered (q, b, h): (Q, B, H, K). A mask
// (`scaled` = mask * scale, `fill` = (1 - mask) * -1e6, ops/maskCache.ts) may broadcast over
// q, b or h: its row for (q, b, h) starts at q*sq + b*sb + h*sh values, a stride 0 where it
// broadcasts. `shape` holds Q, B, H, K, sq, sb, sh (i32). Every pointer is a byte offset into
// this module's memory (0: absent).

/** The rows' count, Q * B * H. */
function rowsOf(shape: usize): i32 {
  return load<i32>(shape) * load<i32>(shape, 4) * load<i32>(shape, 8);
}

/** The byte offset of row r's mask: r = (q, b, h) = (r / (B H), r / H mod B, r mod H). */
function maskAt(shape: usize, r: i32): usize {
  const B = load<i32>(shape, 4);
  const H = load<i32>(shape, 8);
  const q = r / (B * H);
  const b = (r / H) % B;
  const h = r % H;
  const at = q * load<i32>(shape, 16) + b * load<i32>(shape, 20) + h * load<i32>(shape, 24);
  return (<usize>at) << 2;
}

/**
 * weights = softmax(scores * scaled + fill) row by row (scores * scale without a mask), and
 * dropped = weights * drop where there is a dropout mask.
 */
export function maskedSoftmaxForward(
  scores: usize,
  scaled: usize,
  fill: usize,
  drop: usize,
  weights: usize,
  dropped: usize,
  shape: usize,
  scale: f32,
): void {
  const row = (<usize>load<i32>(shape, 12)) << 2;
  for (let r = 0; r < rowsOf(shape); r++) {
    const at = <usize>r * row;
    const m = maskAt(shape, r);
    let max = -Infinity as f32;
    for (let k: usize = 0; k < row; k += 4) {
      const s = load<f32>(scores + at + k);
      const x = scaled ? s * load<f32>(scaled + m + k) + load<f32>(fill + m + k) : s * scale;
      store<f32>(weights + at + k, x);
      max = Mathf.max(max, x);
    }
    let sum: f32 = 0;
    for (let k: usize = 0; k < row; k += 4) {
      const e = Mathf.exp(load<f32>(weights + at + k) - max);
      store<f32>(weights + at + k, e);
      sum += e;
    }
    for (let k: usize = 0; k < row; k += 4) {
      const p = load<f32>(weights + at + k) / sum;
      store<f32>(weights + at + k, p);
      if (drop) store<f32>(dropped + at + k, p * load<f32>(drop + at + k));
    }
  }
}

/**
 * dScores from dDropped (the gradient of the dropped weights): g = dDropped * drop (dDropped
 * without dropout), d(softmax input) = p (g - sum(g p)), times `scaled` (or `scale`) as the
 * forward pass multiplied the scores.
 */
export function maskedSoftmaxBackward(
  dDropped: usize,
  drop: usize,
  weights: usize,
  scaled: usize,
  dScores: usize,
  shape: usize,
  scale: f32,
): void {
  const row = (<usize>load<i32>(shape, 12)) << 2;
  for (let r = 0; r < rowsOf(shape); r++) {
    const at = <usize>r * row;
    let dot: f32 = 0;
    for (let k: usize = 0; k < row; k += 4) {
      const g = load<f32>(dDropped + at + k) * (drop ? load<f32>(drop + at + k) : 1);
      store<f32>(dScores + at + k, g);
      dot += g * load<f32>(weights + at + k);
    }
    const m = maskAt(shape, r);
    for (let k: usize = 0; k < row; k += 4) {
      const d = load<f32>(weights + at + k) * (load<f32>(dScores + at + k) - dot);
      store<f32>(dScores + at + k, d * (scaled ? load<f32>(scaled + m + k) : scale));
    }
  }
}
