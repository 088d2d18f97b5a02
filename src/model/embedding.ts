import { tf, Tensor } from './tf';
import { ParamStore, standardNormal } from './params';
import { oneHotFloat } from './oneHot';

/**
 * nn.Embedding(vocab, hidden). The lookup is a gather; its gradient is written as
 * oneHot(ids)^T · dy, because the wasm backend has no UnsortedSegmentSum kernel (the gather
 * gradient tfjs would otherwise use).
 */
export class Embedding {
  readonly weight: tf.Variable;

  constructor(
    store: ParamStore,
    name: string,
    readonly vocabSize: number,
    readonly hidden: number,
  ) {
    this.weight = store.add(
      `${name}.weight`,
      [vocabSize, hidden],
      standardNormal(store.rng, vocabSize * hidden),
    );
  }

  /** ids (batch, steps) int32 -> (batch, steps, hidden) */
  apply(ids: Tensor): Tensor {
    const [batch, steps] = ids.shape;
    const flat = ids.reshape([-1]) as tf.Tensor1D; // (batch*steps)
    const lookup = tf.customGrad(((table: tf.Tensor) => {
      const value = tf.gather(table, flat); // (batch*steps, hidden)
      const gradFunc = (dy: tf.Tensor) =>
        tf.matMul(oneHotFloat(flat, this.vocabSize), dy, true, false);
      return { value, gradFunc };
    }) as Parameters<typeof tf.customGrad>[0]);
    return (lookup(this.weight) as Tensor).reshape([batch, steps, this.hidden]);
  }
}
