import { tf, Tensor } from '../tf';
import { MASKED_VALUE } from '../maskedSoftmax';

/**
 * Attention masks prepared for the fused masked softmax. A mask (1 keep, 0 masked) becomes
 * `scaled` = mask / sqrt(d), which folds the 1/sqrt(d) of scaled dot-product attention into the
 * mask multiply, and `fill` = (1 - mask) * -1e6, so that masked scores are
 * `scores * scaled + fill` in two kernels.
 *
 * Cached per mask tensor: the encoder's padding mask and the decoder's causal mask are prepared
 * once per forward pass and shared by all layers (~-0.15 ms per step predicted, see
 * docs/performance.md). An entry whose tensors a tf.tidy has since freed is rebuilt.
 */
export interface PreparedMask {
  scaled: Tensor;
  fill: Tensor;
}

/**
 * The order of the axes the prepared mask broadcasts to: 'bhqk' is (B, H, Q, K), the book's
 * layout; 'qbhk' is (Q, B, H, K), the time-major layout of ops/groupedAttention.ts.
 */
export type MaskLayout = 'bhqk' | 'qbhk';

interface Entry extends PreparedMask {
  scale: number;
  layout: MaskLayout;
}

const preparedMasks = new WeakMap<Tensor, Entry>();

/** `mask` (broadcasting to (B, H, Q, K)) prepared for `scale` = 1/sqrt(d) in `layout`. */
export function prepareMask(mask: Tensor, scale: number, layout: MaskLayout): PreparedMask {
  const hit = preparedMasks.get(mask);
  if (
    hit &&
    hit.scale === scale &&
    hit.layout === layout &&
    !hit.scaled.isDisposed &&
    !hit.fill.isDisposed
  ) {
    return hit;
  }
  let m = mask;
  if (layout === 'qbhk') {
    const full = [...Array(4 - mask.rank).fill(1), ...mask.shape] as number[];
    m = tf.transpose(mask.reshape(full), [2, 0, 1, 3]);
  }
  const entry: Entry = {
    scale,
    layout,
    scaled: tf.mul(m, scale),
    fill: tf.mul(tf.sub(1, m), MASKED_VALUE),
  };
  preparedMasks.set(mask, entry);
  return entry;
}
