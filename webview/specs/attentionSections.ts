/**
 * Which tokens label which attention grid: the three sections of the attention panel. Pure.
 *
 * Encoder self-attention: queries and keys are the (padded) source tokens. Decoder
 * self-attention: queries and keys are the decoder inputs (<bos>, then the previous outputs).
 * Encoder–decoder attention: decoder inputs attend to the source tokens.
 */
import type { AttentionGrid, AttentionKind, AttentionMaps } from '../../src/decode/attentionMaps';
import { gridShape } from '../../src/decode/attentionMaps';

export interface AttentionSection {
  kind: AttentionKind;
  title: string;
  caption: string;
  grid: AttentionGrid;
  queries: string[];
  keys: string[];
  layers: number;
  heads: number;
  xTitle: string;
  yTitle: string;
}

export interface AttentionSectionOptions {
  /** Drop source positions at and after sourceValidLen (the <pad> rows and columns). */
  hidePadding?: boolean;
}

/** grid[layer][head][query][key] with queries and/or keys cut to the first `n`. */
export function sliceGrid(
  grid: AttentionGrid,
  queries: number | null,
  keys: number | null,
): AttentionGrid {
  return grid.map((layer) =>
    layer.map((head) =>
      (queries === null ? head : head.slice(0, queries)).map((row) =>
        keys === null ? row : row.slice(0, keys),
      ),
    ),
  );
}

export function attentionSections(
  maps: AttentionMaps,
  options: AttentionSectionOptions = {},
): AttentionSection[] {
  const valid = options.hidePadding ? Math.max(1, maps.sourceValidLen) : null;
  const src = valid === null ? maps.sourceTokens : maps.sourceTokens.slice(0, valid);
  const tgt = maps.targetInputTokens;
  const grids = {
    encoderSelf: valid === null ? maps.encoderSelf : sliceGrid(maps.encoderSelf, valid, valid),
    decoderSelf: maps.decoderSelf,
    encoderDecoder:
      valid === null ? maps.encoderDecoder : sliceGrid(maps.encoderDecoder, null, valid),
  };
  const make = (
    kind: AttentionKind,
    title: string,
    caption: string,
    queries: string[],
    keys: string[],
    yTitle: string,
    xTitle: string,
  ): AttentionSection => {
    const grid = grids[kind];
    const [layers, heads] = gridShape(grid);
    return { kind, title, caption, grid, queries, keys, layers, heads, xTitle, yTitle };
  };
  return [
    make(
      'encoderSelf',
      'Encoder self-attention',
      'Rows: source positions (queries). Columns: source positions (keys).',
      src,
      src,
      'source (query)',
      'source (key)',
    ),
    make(
      'decoderSelf',
      'Decoder self-attention',
      'Rows: decoder inputs (queries). Columns: decoder inputs so far (keys); later steps are masked.',
      tgt,
      tgt,
      'decoder input (query)',
      'decoder input (key)',
    ),
    make(
      'encoderDecoder',
      'Encoder–decoder attention',
      'Rows: decoder inputs (queries). Columns: source positions (keys).',
      tgt,
      src,
      'decoder input (query)',
      'source (key)',
    ),
  ];
}

/** Total heatmaps of a set of maps: layers × heads summed over the three kinds. */
export function heatmapCount(maps: AttentionMaps): number {
  return attentionSections(maps).reduce((n, s) => n + s.layers * s.heads, 0);
}
