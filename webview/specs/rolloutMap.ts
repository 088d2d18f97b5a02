/**
 * The attention panel's rollout map (issue 13 item 4): Abnar & Zuidema's attention rollout over
 * the encoder layers (src/explore/rollout.ts) of the sentence shown, up to a chosen layer (the
 * last by default), with the encoder heads switched off left out of each layer's mean, as one
 * heatmap section the shared heatmap grid draws (and shows as a table). Pure: no DOM.
 */
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import { encoderRollout } from '../../src/explore/rollout';
import type { HeadMask } from '../../src/model/headMask';
import type { HeadRef } from '../../src/shared/protocol';
import type { AttentionSection } from './attentionSections';
import type { ScaleMode } from './attentionView';

export interface RolloutMap {
  /** One heatmap (layer 0, head 0 of its grid): positions (rows) by input tokens (columns). */
  section: AttentionSection;
  /** Encoder layers: the rollout can be shown after any of them. */
  layers: number;
  /** The layer shown (0-based). */
  layer: number;
  /** Upper end of its colour scale. */
  domainMax: number;
  /** Encoder heads left out of the means (switched off). */
  headsOff: number;
}

/** The encoder part of the mask with `off` switched off: the only part the rollout reads. */
export function encoderMask(maps: AttentionMaps, off: readonly HeadRef[]): HeadMask {
  const isOff = (layer: number, head: number) =>
    off.some((r) => r.kind === 'encoderSelf' && r.layer === layer && r.head === head);
  return {
    encoderSelf: maps.encoderSelf.map((heads, l) => heads.map((_, h) => (isOff(l, h) ? 0 : 1))),
    decoderSelf: [],
    encoderDecoder: [],
  };
}

/** 1, or the largest value rounded up to 0.05 (the heatmaps' rule, on this map alone). */
export function rolloutDomainMax(matrix: readonly (readonly number[])[], scale: ScaleMode): number {
  if (scale === 'one') return 1;
  // A loop, not Math.max(...): a long sentence's n² values would overflow the argument list.
  let max = 0;
  for (const row of matrix) for (const v of row) max = Math.max(max, v);
  return max > 0 ? Math.min(1, Math.ceil(max * 20) / 20) : 1;
}

export const ROLLOUT_CAPTION =
  'How much of each source position (row) after the chosen encoder layer comes from each input ' +
  'token (column): each layer’s mean over its heads, with the residual as ½·identity, multiplied ' +
  'layer by layer (Abnar & Zuidema 2020). Rows sum to 1; the colour scale is its own.';

/**
 * The rollout of `maps` up to `layer` (null or past the end: the last layer), with the encoder
 * heads in `off` left out; null when the maps have no encoder layer or no source token.
 */
export function rolloutMap(
  maps: AttentionMaps,
  o: { off: readonly HeadRef[]; layer: number | null; scale: ScaleMode },
): RolloutMap | null {
  if (maps.encoderSelf.length === 0 || maps.sourceValidLen < 1) return null;
  const mask = encoderMask(maps, o.off);
  const headsOff = mask.encoderSelf.flat().filter((g) => g === 0).length;
  const rollout = encoderRollout(maps, headsOff > 0 ? mask : undefined);
  const last = rollout.layers.length - 1;
  const layer = o.layer === null ? last : Math.min(Math.max(0, o.layer), last);
  const matrix = rollout.layers[layer];
  return {
    section: {
      kind: 'encoderSelf',
      title: `Attention rollout after encoder layer ${layer + 1}`,
      caption: ROLLOUT_CAPTION,
      grid: [[matrix]],
      queries: rollout.tokens,
      keys: rollout.tokens,
      layers: 1,
      heads: 1,
      xTitle: 'input token',
      yTitle: `position after layer ${layer + 1}`,
    },
    layers: rollout.layers.length,
    layer,
    domainMax: rolloutDomainMax(matrix, o.scale),
    headsOff,
  };
}
