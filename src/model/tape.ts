import { tf, Tensor } from './tf';

type Backward = (dys: (Tensor | undefined)[]) => void;

/**
 * A minimal reverse-mode tape for the training step. The model's ops record, next to each
 * output, a closure that turns the output's gradient into gradients of its inputs
 * (`accumulate`). Compared with tf.variableGrads it keeps no cloned copies of saved tensors,
 * builds no per-kernel tape nodes, and lets each fused op pick the kernels of its backward pass
 * (plain 2-D matMuls, which the wasm backend runs through XNNPACK, instead of the transposed ones
 * tfjs's own gradients use and which fall back to a scalar loop there).
 *
 * Every tensor involved lives in the caller's tf.tidy: run forward, `backward`, read the
 * gradients, all inside one tidy, and everything is freed at its end.
 */
export class Tape {
  private readonly nodes: { outputs: Tensor[]; backward: Backward }[] = [];
  private readonly grads = new Map<number, Tensor>();

  /** Registers how to propagate the gradients of `outputs` to the op's inputs. */
  record(outputs: Tensor[], backward: Backward): void {
    this.nodes.push({ outputs, backward });
  }

  /** Adds `g` to the gradient of `t` (shapes must match; reshape before). */
  accumulate(t: Tensor, g: Tensor): void {
    if (this.pending) {
      this.pending.push([t, g]);
      return;
    }
    const prev = this.grads.get(t.id);
    this.grads.set(t.id, prev ? tf.add(prev, g) : g);
  }

  /** While an op's backward runs: the gradients it produced, collected inside its tf.tidy. */
  private pending: [Tensor, Tensor][] | null = null;

  /** The accumulated gradient of `t`, if anything reached it. */
  gradOf(t: Tensor): Tensor | undefined {
    return this.grads.get(t.id);
  }

  /** Back-propagates `dy` (the gradient of `y`) through every recorded op, last first. */
  backward(y: Tensor, dy: Tensor): void {
    this.grads.set(y.id, dy);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const { outputs, backward } = this.nodes[i];
      const dys = outputs.map((o) => this.grads.get(o.id));
      if (dys.every((d) => d === undefined)) continue;
      // Each op's temporaries are freed as soon as its backward is done (less memory in use,
      // better cache reuse); only the gradients it produced leave the tidy.
      const pending: [Tensor, Tensor][] = [];
      this.pending = pending;
      let produced: Tensor[];
      try {
        produced = tf.tidy(() => {
          backward(dys);
          return pending.map(([, g]) => g);
        });
      } finally {
        this.pending = null;
      }
      pending.forEach(([t], k) => this.accumulate(t, produced[k]));
    }
    this.nodes.length = 0;
  }
}
