/**
 * Which attention heads are switched on: a model input (Michel, Levy & Neubig 2019, "Are Sixteen
 * Heads Really Better than One?"). A head that is off has its output zeroed before the output
 * projection W_o; its attention weights are still computed (and shown), they just no longer
 * reach the residual stream.
 *
 * This file holds the plain-data side (no tfjs): the CLI and the worker build and check masks
 * with it, and the host and the webviews may import its types (the layer lint allows them only
 * types from src/model); ./headGates.ts turns a mask into the tensors a forward pass multiplies
 * by. The kinds are the attention maps' (decode/attentionMaps.ts), one name for one thing.
 */
import { ATTENTION_KINDS, AttentionKind } from '../decode/attentionMaps';

/** One multi-head attention layer of the model: its kind and 0-based layer. */
export interface AttentionSlot {
  kind: AttentionKind;
  layer: number;
}

/** One head, 0-based: `layer` in 0..numLayers-1, `head` in 0..numHeads-1. */
export interface HeadRef extends AttentionSlot {
  head: number;
}

/**
 * A gate per head, [layer][head] for each kind: 1 keeps the head, 0 switches it off; any other
 * finite value scales its output (the continuous ξ of Michel et al.). Every kind has numLayers
 * rows of numHeads values.
 */
export type HeadMask = Record<AttentionKind, number[][]>;

/** The shape a mask must have: the model's numLayers and numHeads. */
export interface HeadGrid {
  numLayers: number;
  numHeads: number;
}

/** Every head on. */
export function allHeadsOn(grid: HeadGrid): HeadMask {
  const ones = () =>
    Array.from({ length: grid.numLayers }, () => new Array<number>(grid.numHeads).fill(1));
  return { encoderSelf: ones(), decoderSelf: ones(), encoderDecoder: ones() };
}

/** Every head of the grid, kind by kind, layer by layer, head by head. */
export function everyHead(grid: HeadGrid): HeadRef[] {
  const out: HeadRef[] = [];
  for (const kind of ATTENTION_KINDS) {
    for (let layer = 0; layer < grid.numLayers; layer++) {
      for (let head = 0; head < grid.numHeads; head++) out.push({ kind, layer, head });
    }
  }
  return out;
}

/** The mask with exactly the heads `off` switched off (checked against the grid). */
export function headsOffMask(grid: HeadGrid, off: readonly HeadRef[]): HeadMask {
  const mask = allHeadsOn(grid);
  for (const ref of off) {
    checkHeadRef(grid, ref);
    mask[ref.kind][ref.layer][ref.head] = 0;
  }
  return mask;
}

/** The heads whose gate is 0, in everyHead order. */
export function headsOff(mask: HeadMask): HeadRef[] {
  const out: HeadRef[] = [];
  for (const kind of ATTENTION_KINDS) {
    mask[kind].forEach((row, layer) =>
      row.forEach((g, head) => {
        if (g === 0) out.push({ kind, layer, head });
      }),
    );
  }
  return out;
}

/** Whether any gate differs from 1 (a mask that changes nothing may be skipped by a cache). */
export function masksAnything(mask: HeadMask | undefined): boolean {
  return (
    mask !== undefined && ATTENTION_KINDS.some((k) => mask[k].some((r) => r.some((g) => g !== 1)))
  );
}

/** Whether any encoder self-attention gate differs from 1 (else the encoder output is as unmasked). */
export function masksEncoder(mask: HeadMask | undefined): boolean {
  return mask !== undefined && mask.encoderSelf.some((r) => r.some((g) => g !== 1));
}

/** Throws a RangeError naming the problem when `ref` is not a head of the grid. */
export function checkHeadRef(grid: HeadGrid, ref: HeadRef): void {
  if (!ATTENTION_KINDS.includes(ref.kind)) {
    throw new RangeError(`unknown attention kind ${JSON.stringify(ref.kind)}`);
  }
  if (!Number.isInteger(ref.layer) || ref.layer < 0 || ref.layer >= grid.numLayers) {
    throw new RangeError(`layer ${ref.layer} is not in 0..${grid.numLayers - 1}`);
  }
  if (!Number.isInteger(ref.head) || ref.head < 0 || ref.head >= grid.numHeads) {
    throw new RangeError(`head ${ref.head} is not in 0..${grid.numHeads - 1}`);
  }
}

/**
 * Throws a RangeError naming the first problem when `mask` does not fit the grid: a kind
 * missing, a wrong number of layers or heads, or a gate that is not a finite number.
 */
export function checkHeadMask(grid: HeadGrid, mask: HeadMask): void {
  for (const kind of ATTENTION_KINDS) {
    const rows: unknown = mask?.[kind];
    if (!Array.isArray(rows) || rows.length !== grid.numLayers) {
      throw new RangeError(`head mask: ${kind} must have ${grid.numLayers} layers`);
    }
    rows.forEach((row: unknown, layer) => {
      if (!Array.isArray(row) || row.length !== grid.numHeads) {
        throw new RangeError(`head mask: ${kind} layer ${layer} must have ${grid.numHeads} heads`);
      }
      row.forEach((g: unknown, head) => {
        if (typeof g !== 'number' || !Number.isFinite(g)) {
          throw new RangeError(`head mask: ${kind} layer ${layer} head ${head} is not a number`);
        }
      });
    });
  }
}
