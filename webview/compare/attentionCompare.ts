/**
 * The attention comparison's result: a switch between the three kinds of attention, "Show as
 * table", one colour legend shared by both runs, and per run its label, translation (or why
 * there is none) and its layer × head grid of heatmaps. The two grids sit side by side when they
 * fit, else one above the other (heads wrapped into rows when narrow), at one cell size.
 */
import type { AttentionKind, AttentionMaps } from '../../src/decode/attentionMaps';
import type { CompareAttentionResultMessage, CompareSide } from '../../src/shared/protocol';
import { AttentionSection, attentionSections } from '../specs/attentionSections';
import { CompareLayout, compareLayout, LAYOUT } from '../specs/compareLayout';
import { maxWeight } from '../specs/heatmap';
import { ChartTheme } from '../specs/theme';
import { ColorLegend, createColorLegend, maskedKey } from '../shared/colorLegend';
import { h, replaceChildren } from '../shared/dom';
import { HeatmapGrid, heatmapGrid } from '../shared/heatmapGrid';
import { emptyState, toolbar } from '../shared/layout';
import { Segmented, segmented } from '../shared/segmented';
import { ToggleButton, toggleButton } from '../shared/toggleButton';
import { withUnkMarked } from '../shared/unknownWords';

const KIND_LABELS: Record<AttentionKind, string> = {
  encoderSelf: 'Encoder self-attention',
  decoderSelf: 'Decoder self-attention',
  encoderDecoder: 'Encoder–decoder attention',
};

export interface AttentionCompare {
  element: HTMLElement;
  /** `tables`: each heatmap as a table of its weights instead of a chart. */
  render(
    result: CompareAttentionResultMessage | null,
    kind: AttentionKind,
    theme: ChartTheme,
    tables: boolean,
  ): Promise<void>;
  /** Heatmaps on screen (the legend is not counted, as in the attention panel). */
  count(): number;
  /** Whether the width changed enough to lay the grids out again. */
  needsRelayout(): boolean;
}

/** The padding positions are left out: the two runs compare on the real tokens. */
function sectionOf(maps: AttentionMaps, kind: AttentionKind): AttentionSection | undefined {
  return attentionSections(maps, { hidePadding: true }).find((s) => s.kind === kind);
}

/** 1, or the largest weight of both sides rounded up to 0.05: one scale for both runs. */
function sharedMax(sections: readonly AttentionSection[]): number {
  const max = maxWeight(sections.map((s) => s.grid));
  return max > 0 ? Math.min(1, Math.ceil(max * 20) / 20) : 1;
}

function present(sections: (AttentionSection | undefined)[]): AttentionSection[] {
  return sections.filter((s): s is AttentionSection => !!s);
}

interface Parts {
  kinds: Segmented<AttentionKind>;
  table: ToggleButton;
  legend: ColorLegend;
  caption: HTMLElement;
  heading: HTMLElement;
  sidesEl: HTMLElement;
  resultEl: HTMLElement;
  empty: HTMLElement;
}

export interface AttentionCompareHandlers {
  onKind(kind: AttentionKind): void;
  onTable(show: boolean): void;
}

function buildParts(handlers: AttentionCompareHandlers): Parts {
  const kinds = segmented<AttentionKind>({
    label: 'Attention to compare',
    options: (Object.keys(KIND_LABELS) as AttentionKind[]).map((kind) => ({
      value: kind,
      text: KIND_LABELS[kind],
      id: `kind-${kind}`,
    })),
    onSelect: handlers.onKind,
  });
  const table = toggleButton({
    id: 'compare-show-table',
    text: 'Show as table',
    title: 'Each heatmap as a table of its weights (rows: queries, columns: keys)',
    onToggle: handlers.onTable,
  });
  const legend = createColorLegend('compare-legend');
  const caption = h('p', { class: 'caption muted', id: 'compare-caption' });
  const heading = h('p', { class: 'sentence-line', id: 'compare-sentence-line' });
  const sidesEl = h('div', { class: 'compare-sides', id: 'compare-sides' });
  const resultEl = h(
    'div',
    { class: 'compare-result', id: 'compare-result', hidden: true },
    heading,
    toolbar(kinds.element, table.element),
    toolbar(legend.element, maskedKey('a later step')),
    caption,
    sidesEl,
  );
  const empty = emptyState(
    'Pick two runs and a sentence, then Compare: both translate it and their attention appears here.',
    { id: 'compare-empty' },
  );
  return { kinds, table, legend, caption, heading, sidesEl, resultEl, empty };
}

interface Shown {
  layout: CompareLayout;
  sides: (AttentionSection | undefined)[];
  grids: HeatmapGrid[];
}

/**
 * Lays out both runs' grids of one kind, at one cell size and one colour scale; `draw` embeds
 * their charts and the legend.
 */
function layOutSides(
  e: Parts,
  result: CompareAttentionResultMessage,
  kind: AttentionKind,
  o: { theme: ChartTheme; layoutFor(sections: (AttentionSection | undefined)[]): CompareLayout },
): { shown: Shown; draw(): Promise<unknown> } {
  const sections = result.sides.map((s) =>
    s.item ? sectionOf(s.item.attention, kind) : undefined,
  );
  const drawn = present(sections);
  e.caption.textContent = drawn[0] ? `${drawn[0].caption} Padding positions are left out.` : '';
  const layout = o.layoutFor(sections);
  e.sidesEl.dataset.layout = layout.mode;
  e.sidesEl.dataset.kind = kind;
  const domainMax = sharedMax(drawn);
  const sideGrids = sections.map((s, i) =>
    s
      ? heatmapGrid(s, {
          className: 'compare-grid',
          rowHeaderPx: LAYOUT.rowHeader,
          chartPadding: LAYOUT.chartPadding,
          cell: layout.cell,
          headsPerRow: layout.headsPerRow,
          domainMax,
          theme: o.theme,
          figureAttrs: { 'data-side': i },
          labelPrefix: `${result.sides[i].label}: `,
        })
      : null,
  );
  replaceChildren(
    e.sidesEl,
    result.sides.map((side, i) => sideView(side, i, result.sentence, sideGrids[i])),
  );
  const grids = sideGrids.filter((g): g is HeatmapGrid => !!g);
  e.legend.element.hidden = drawn.length === 0;
  return {
    shown: { layout, sides: sections, grids },
    draw: () =>
      Promise.all([
        ...grids.map((g) => g.draw()),
        drawn.length ? e.legend.render(domainMax, o.theme) : e.legend.clear(),
      ]),
  };
}

export function createAttentionCompare(handlers: AttentionCompareHandlers): AttentionCompare {
  const e = buildParts(handlers);
  let shown: Shown | null = null;
  let fontSize = 13;
  const layoutFor = (sections: (AttentionSection | undefined)[]): CompareLayout =>
    compareLayout(
      e.sidesEl.clientWidth || document.body.clientWidth || 800,
      present(sections).map((s) => ({ heads: s.heads, keys: s.keys.length, queries: s.queries })),
      fontSize,
    );
  return {
    element: h('div', {}, e.empty, e.resultEl),
    count: () => (shown?.grids ?? []).reduce((n, g) => n + g.count(), 0),
    needsRelayout() {
      if (!shown) return false;
      const next = layoutFor(shown.sides);
      const l = shown.layout;
      return next.mode !== l.mode || next.cell !== l.cell || next.headsPerRow !== l.headsPerRow;
    },
    async render(result, kind, theme, tables) {
      for (const g of shown?.grids ?? []) g.finalize();
      shown = null;
      fontSize = theme.fontSize;
      e.kinds.render(kind);
      e.table.render(tables);
      e.empty.hidden = !!result;
      e.resultEl.hidden = !result;
      if (!result) {
        replaceChildren(e.sidesEl);
        return;
      }
      replaceChildren(
        e.heading,
        h('span', { class: 'muted' }, 'Sentence: '),
        h('span', { class: 'source' }, result.sentence),
      );
      const sides = layOutSides(e, result, kind, { theme, layoutFor });
      shown = sides.shown;
      await sides.draw();
      for (const g of sides.shown.grids) g.showTables(tables);
    },
  };
}

function sideView(
  side: CompareSide,
  i: number,
  source: string,
  grid: HeatmapGrid | null,
): HTMLElement {
  return h(
    'section',
    {
      class: 'compare-side',
      'data-side': i,
      'data-run-id': side.runId,
      'aria-label': side.label,
    },
    h('h3', {}, h('span', { class: 'side-letter' }, i === 0 ? 'A' : 'B'), ' ', side.label),
    side.item
      ? h(
          'p',
          { class: 'side-translation' },
          h('span', { class: 'source' }, source),
          h('span', { class: 'arrow', 'aria-label': 'translates to' }, ' → '),
          h(
            'span',
            { class: 'target', lang: 'fr' },
            withUnkMarked(side.item.translation || '(empty)'),
          ),
        )
      : null,
    side.error ? h('p', { class: 'side-error' }, side.error) : null,
    !side.item && !side.error ? h('p', { class: 'empty' }, 'No translation.') : null,
    h('div', { class: 'side-grid' }, grid?.element),
  );
}
