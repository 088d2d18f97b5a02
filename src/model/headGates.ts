import { tf, Tensor } from './tf';
import { HeadGrid, HeadMask, checkHeadMask } from './headMask';
import { ATTENTION_KINDS, AttentionKind } from '../decode/attentionMaps';
import { Tape } from './tape';

/**
 * A head mask as a forward pass reads it: per kind, per layer, a float32 tensor of the heads'
 * gates (numHeads) — or (batch, numHeads), a gate per sequence (see gateHeads) — or null (that layer is not gated: no op at all). A kind left out is not
 * gated either. The tensors may be anything tfjs can differentiate through, so that the
 * gradient of a loss with respect to the gates (Michel et al.'s head importance) is one tf.grads.
 */
export type HeadGates = Partial<Record<AttentionKind, readonly (Tensor | null)[]>>;

/**
 * The gates of `mask` as tensors, one per layer of every kind (all-ones layers included, so
 * that a mask of ones runs the gated path: it must give the unmasked outputs bit for bit).
 * The caller disposes them (disposeHeadGates) or creates them inside its tf.tidy.
 */
export function headGatesOf(grid: HeadGrid, mask: HeadMask): HeadGates {
  checkHeadMask(grid, mask);
  const gates: HeadGates = {};
  for (const kind of ATTENTION_KINDS) gates[kind] = mask[kind].map((row) => tf.tensor1d(row));
  return gates;
}

/**
 * Gates from one (numLayers, numHeads) — or (numLayers, batch, numHeads) — tensor per kind, split
 * into layers with ops that tfjs differentiates: the gradient of anything computed with the
 * result flows back to `perKind`.
 */
export function headGatesFromTensors(perKind: Partial<Record<AttentionKind, Tensor>>): HeadGates {
  const gates: HeadGates = {};
  for (const kind of ATTENTION_KINDS) {
    const t = perKind[kind];
    // tfjs's unstack gradient breaks on one slice (its single dy is a tensor, not the array
    // stack() wants): "tensors passed to stack must be a Tensor[]" for a one-layer model.
    if (t) gates[kind] = t.shape[0] === 1 ? [tf.squeeze(t, [0])] : tf.unstack(t, 0);
  }
  return gates;
}

export function disposeHeadGates(gates: HeadGates | undefined): void {
  if (!gates) return;
  for (const kind of ATTENTION_KINDS) tf.dispose((gates[kind] ?? []).filter((t) => t !== null));
}

/**
 * The heads' outputs side by side, (rows, heads * d), each head's columns multiplied by its gate:
 * the hook before W_o. `gate` is (heads), one gate for every row, or (batch, heads), one gate
 * per sequence (rows batch-major: batch * steps), which gives per-example gradients with respect
 * to the gates in one backward pass (head importance, src/explore/headImportance.ts).
 * Multiplying by 1 is exact in float32, so a gate of ones leaves every value as it was. On a
 * tape it records the gradient of `output` (dy times the gate); the gates' own gradient is tfjs
 * autodiff's (headGatesFromTensors).
 */
export function gateHeads(output: Tensor, gate: Tensor, tape?: Tape): Tensor {
  const [rows, width] = output.shape as [number, number];
  const heads = gate.shape[gate.rank - 1]!;
  const batch = gate.rank === 2 ? gate.shape[0]! : 1;
  // (batch, rows/batch, heads, d) times (batch, 1, heads, 1).
  const split = [batch, rows / batch, heads, width / heads];
  const column = gate.reshape([batch, 1, heads, 1]);
  const y = tf.mul(output.reshape(split), column).reshape([rows, width]);
  if (tape) {
    tape.record([y], ([dy]) => {
      const g = tf.mul(dy!.reshape(split), column);
      tape.accumulate(output, g.reshape([rows, width]));
    });
  }
  return y;
}
