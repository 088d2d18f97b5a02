/**
 * One layer × head grid per attention kind: each cell a head, its background the chosen
 * importance measure (theme colour, stronger = more important; negative values hatched), its
 * value and label as text. A real <table> per kind, so screen readers and the keyboard read it.
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadRow } from '../../src/shared/protocol';
import { ImportanceMeasure, KIND_TITLES, importanceGrid } from '../specs/headRows';
import { h } from '../shared/dom';

const KINDS: readonly AttentionKind[] = ['encoderSelf', 'decoderSelf', 'encoderDecoder'];

function cell(row: HeadRow | undefined, measure: ImportanceMeasure, max: number): HTMLElement {
  if (!row) return h('td', { class: 'head-cell empty-cell' }, '—');
  const v = row[measure];
  const strength = Math.round((100 * Math.abs(v)) / max);
  const td = h(
    'td',
    {
      class: v < 0 ? 'head-cell negative' : 'head-cell',
      title: `BLEU drop ${row.bleuDrop.toFixed(3)}, loss +${row.lossIncrease.toFixed(3)}, gradient ${row.gradient.toFixed(3)}`,
      'data-head': `${row.kind}:${row.layer}:${row.head}`,
    },
    h('span', { class: 'head-value' }, v.toFixed(3)),
    row.label ? h('span', { class: 'head-label' }, row.label) : null,
  );
  // Through the CSSOM: the panel's CSP has no 'unsafe-inline' for style attributes.
  td.style.setProperty('--strength', `${strength}%`);
  return td;
}

function kindTable(rows: readonly HeadRow[], kind: AttentionKind, measure: ImportanceMeasure) {
  const { cells, max } = importanceGrid(rows, kind, measure);
  const heads = cells[0]?.length ?? 0;
  return h(
    'table',
    { class: 'data-table head-grid', 'data-kind': kind },
    h('caption', {}, KIND_TITLES[kind]),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Layer'),
        Array.from({ length: heads }, (_, i) => h('th', { scope: 'col' }, `Head ${i + 1}`)),
      ),
    ),
    h(
      'tbody',
      {},
      cells.map((layer, l) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, `${l + 1}`),
          layer.map((r) => cell(r, measure, max)),
        ),
      ),
    ),
  );
}

/** The three grids, coloured by `measure` on one scale (the largest magnitude of any head). */
export function headGrids(rows: readonly HeadRow[], measure: ImportanceMeasure): HTMLElement {
  return h(
    'div',
    { class: 'head-grids', id: 'head-grids' },
    KINDS.map((kind) => kindTable(rows, kind, measure)),
  );
}
