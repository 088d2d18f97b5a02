/**
 * `--mask enc:1:2,cross:2:4`: the heads to switch off, as people count them (1-based layer and
 * head; kinds enc, dec, cross), read into src/model/headMask.ts's 0-based HeadRefs. Every
 * mistake is a UsageError naming the part that is wrong (exit 2).
 */
import type { AttentionKind } from '../decode/attentionMaps';
import { HeadGrid, HeadRef } from '../model/headMask';
import { UsageError } from './args';

/** The spec's short kind names, one per attention kind. */
export const MASK_KINDS: Readonly<Record<string, AttentionKind>> = {
  enc: 'encoderSelf',
  dec: 'decoderSelf',
  cross: 'encoderDecoder',
};

const SHORT: Readonly<Record<AttentionKind, string>> = {
  encoderSelf: 'enc',
  decoderSelf: 'dec',
  encoderDecoder: 'cross',
};

/** `enc:1:2` for a 0-based ref (the spec's own spelling, for messages and output). */
export function headSpec(ref: HeadRef): string {
  return `${SHORT[ref.kind]}:${ref.layer + 1}:${ref.head + 1}`;
}

function positive(text: string, what: string, part: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) {
    throw new UsageError(
      `--mask: ${what} in "${part}" must be a whole number >= 1 (got "${text}")`,
    );
  }
  return n;
}

/** The heads a spec names, 0-based, each once, in the order given. */
export function parseMaskSpec(spec: string): HeadRef[] {
  if (spec.trim() === '') {
    throw new UsageError('--mask needs heads: kind:layer:head, e.g. enc:1:2,cross:2:4');
  }
  const seen = new Set<string>();
  const out: HeadRef[] = [];
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const fields = part.split(':');
    if (fields.length !== 3) {
      throw new UsageError(
        `--mask: "${part}" is not kind:layer:head (e.g. enc:1:2; kinds enc, dec, cross)`,
      );
    }
    const kind = MASK_KINDS[fields[0]];
    if (!Object.hasOwn(MASK_KINDS, fields[0])) {
      throw new UsageError(`--mask: kind "${fields[0]}" in "${part}" must be enc, dec or cross`);
    }
    const ref = {
      kind,
      layer: positive(fields[1], 'the layer', part) - 1,
      head: positive(fields[2], 'the head', part) - 1,
    };
    const key = headSpec(ref);
    if (!seen.has(key)) out.push(ref);
    seen.add(key);
  }
  return out;
}

/** A UsageError (1-based, as typed) for the first head the model does not have. */
export function checkMaskFits(refs: readonly HeadRef[], grid: HeadGrid): void {
  for (const ref of refs) {
    if (ref.layer >= grid.numLayers || ref.head >= grid.numHeads) {
      throw new UsageError(
        `--mask: ${headSpec(ref)} is not a head of this model ` +
          `(${grid.numLayers} layers of ${grid.numHeads} heads: layer 1-${grid.numLayers}, ` +
          `head 1-${grid.numHeads})`,
      );
    }
  }
}
