import { tf, Tensor } from './tf';
import { ForwardPass } from './context';
import { Embedding } from './embedding';
import { dropout } from './ops/dropout';
import { embedWithPositions } from './ops/hostEmbedding';
import { EmbeddingMaskSlot } from './ops/hostBuffers';

/**
 * The book's sinusoidal PositionalEncoding (max_len 1000), with dropout:
 * P[i, 2j] = sin(i / 10000^(2j/d)), P[i, 2j+1] = cos(i / 10000^(2j/d)).
 */
export class PositionalEncoding {
  /** (maxLen, hidden), computed once in float32 as the book does. */
  readonly table: Float32Array;

  constructor(
    readonly numHiddens: number,
    readonly dropoutRate: number,
    readonly maxLen = 1000,
  ) {
    this.table = positionalTable(numHiddens, maxLen);
  }

  /**
   * X (batch, steps, hidden) + P[offset : offset+steps], then dropout. The book always uses
   * offset 0, also for the one-token inputs of step-by-step decoding; pass the step index there
   * to give each step its own position.
   */
  apply(X: Tensor, pass: ForwardPass, offset = 0): Tensor {
    const steps = X.shape[1]!;
    const P = tf.tensor3d(this.rows(offset, steps), [1, steps, this.numHiddens]);
    return dropout(tf.add(X, P), this.dropoutRate, pass);
  }

  /**
   * The encoder's and decoder's input as the book's forward writes it,
   * `pos_encoding(embedding(ids) * sqrt(hidden))`: ids (batch, steps) int32 -> (batch, steps,
   * hidden), or (steps, batch, hidden) in the time-major layout. On the training tape it is one
   * fused op with the same values (ops/hostEmbedding.ts); `maskSlot` is the caller's own.
   */
  embed(
    embedding: Embedding,
    ids: Tensor,
    pass: ForwardPass,
    offset: number,
    maskSlot: EmbeddingMaskSlot,
  ): Tensor {
    const scale = Math.sqrt(embedding.hidden);
    if (!pass.tape) return this.apply(tf.mul(embedding.apply(ids), scale), pass, offset);
    const positions = this.rows(offset, ids.shape[1]!);
    const table = embedding.weight;
    return embedWithPositions(
      { table, ids, scale, positions, dropoutRate: this.dropoutRate, maskSlot },
      pass,
    );
  }

  /** P[offset : offset+steps] as (steps * hidden) row-major values (a view, not a copy). */
  rows(offset: number, steps: number): Float32Array {
    if (offset + steps > this.maxLen) {
      throw new Error(`Position ${offset + steps} is past max_len ${this.maxLen}`);
    }
    return this.table.subarray(offset * this.numHiddens, (offset + steps) * this.numHiddens);
  }
}

export function positionalTable(numHiddens: number, maxLen: number): Float32Array {
  const P = new Float32Array(maxLen * numHiddens);
  for (let j = 0; 2 * j < numHiddens; j++) {
    // torch.pow(10000, arange(0, d, 2) / d) in float32
    const div = Math.fround(Math.pow(10000, Math.fround(Math.fround(2 * j) / numHiddens)));
    for (let i = 0; i < maxLen; i++) {
      const x = Math.fround(i / div);
      P[i * numHiddens + 2 * j] = Math.sin(x);
      if (2 * j + 1 < numHiddens) P[i * numHiddens + 2 * j + 1] = Math.cos(x);
    }
  }
  return P;
}
