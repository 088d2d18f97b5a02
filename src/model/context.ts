import { Tensor } from './tf';
import { Rng } from '../util/rng';
import { Tape } from './tape';
import { FastPath, currentFastPath } from './ops/fastPath';
import type { HeadGates } from './headGates';
import type { AttentionKind } from '../decode/attentionMaps';
import type { AttentionProbe } from './attentionProbe';

/**
 * What a caller says about a forward pass: training mode (dropout on) or inference, a random
 * stream for dropout masks, and optionally a `Tape` on which the ops record their backward pass
 * (the training step's fast gradient path).
 */
export interface ForwardContext {
  training: boolean;
  rng?: Rng;
  tape?: Tape;
  /**
   * The backend's fast paths (decided from the current backend when absent). Tests pass one
   * with fewer capabilities than the backend's, e.g. fastPathOf('tensorflow') on cpu to run the
   * GPU backend's generic paths.
   */
  fastPath?: FastPath;
  /**
   * Heads switched off (or scaled): their outputs are multiplied by these gates before W_o
   * (./headGates.ts). Absent: no gate, no op (the training step never carries one).
   */
  headGates?: HeadGates;
  /** Sees what every attention layer computed (./attentionProbe.ts); inference only. */
  probe?: AttentionProbe;
}

/** The (batch, steps) of the 2-D rows (batch*steps, hidden) a block runs its sub-layers on. */
export interface BlockRows {
  batch: number;
  steps: number;
}

/**
 * One forward pass as the model's modules and ops see it: the caller's ForwardContext plus what
 * is decided once for the whole pass — the backend's fast paths and the layout — so that no op
 * asks the backend again. Every public entry point (Transformer.apply, the encoder's and
 * decoder's apply and step, a block's apply) starts one with `ForwardPass.of`, which passes an
 * existing pass through.
 */
export class ForwardPass implements ForwardContext {
  readonly training: boolean;
  readonly rng?: Rng;
  readonly tape?: Tape;
  readonly headGates?: HeadGates;
  readonly probe?: AttentionProbe;
  readonly fastPath: FastPath;
  /**
   * The training step's layout where the attention runs grouped (a Tape on wasm): activations
   * are (steps, batch, hidden) and 2-D rows are ordered step-major, which saves the attention
   * most of its transposes (ops/groupedAttention.ts: 9 instead of 15 per layer, half batch
   * 12.9 -> 11.3 ms). Encoder outputs and logits come back (steps, batch, ·). Dropout masks are
   * the same as in the batch-major layout.
   */
  readonly timeMajor: boolean;
  /** Inside a block: its rows' batch and steps (set by `inBlock`). */
  readonly rows?: BlockRows;

  private constructor(
    ctx: ForwardContext,
    fastPath: FastPath,
    timeMajor: boolean,
    rows?: BlockRows,
  ) {
    this.training = ctx.training;
    this.rng = ctx.rng;
    this.tape = ctx.tape;
    this.headGates = ctx.headGates;
    this.probe = ctx.probe;
    this.fastPath = fastPath;
    this.timeMajor = timeMajor;
    this.rows = rows;
  }

  /** `ctx` itself if it is a pass already, else a new pass over the current backend. */
  static of(ctx: ForwardContext): ForwardPass {
    if (ctx instanceof ForwardPass) return ctx;
    const fastPath = ctx.fastPath ?? currentFastPath();
    return new ForwardPass(ctx, fastPath, ctx.tape !== undefined && fastPath.groupedAttention);
  }

  /** The same pass inside a block whose rows are (batch*steps, hidden). */
  inBlock(batch: number, steps: number): ForwardPass {
    return new ForwardPass(this, this.fastPath, this.timeMajor, { batch, steps });
  }

  /** The gates of the heads of attention layer `layer` of `kind`, or null: not gated. */
  headGate(kind: AttentionKind, layer: number): Tensor | null {
    return this.headGates?.[kind]?.[layer] ?? null;
  }

  /** A fresh dropout seed from the pass's stream (or Math.random without one). */
  seed(): number {
    return this.rng ? this.rng.seed() : Math.floor(Math.random() * 0x7fffffff);
  }

  /** (batch, steps) of a (batch, steps, hidden) activation in this pass's layout. */
  batchAndSteps(X: Tensor): [number, number] {
    return this.timeMajor ? [X.shape[1]!, X.shape[0]!] : [X.shape[0]!, X.shape[1]!];
  }
}
