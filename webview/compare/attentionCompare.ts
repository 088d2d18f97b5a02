/**
 * The attention comparison's result: a switch between the three kinds of attention, one colour
 * legend shared by both runs, and per run its label, translation (or why there is none) and
 * its layer × head grid of heatmaps. The two grids sit side by side when they fit, else one
 * above the other, at one cell size.
 */
import type { AttentionKind, AttentionMaps } from '../../src/decode/attentionMaps';
import type { CompareAttentionResultMessage, CompareSide } from '../../src/shared/protocol';
import { AttentionSection, attentionSections } from '../specs/attentionSections';
import { CompareLayout, compareLayout, LAYOUT } from '../specs/compareLayout';
import { maxWeight } from '../specs/heatmap';
import { ChartTheme } from '../specs/theme';
import { createColorLegend, maskedKey } from '../shared/colorLegend';
import { h, replaceChildren } from '../shared/dom';
import { HeatmapGrid, heatmapGrid } from '../shared/heatmapGrid';
import { emptyState, toolbar } from '../shared/layout';
import { segmented } from '../shared/segmented';
import { withUnkMarked } from '../shared/unknownWords';

const KIND_LABELS: Record<AttentionKind, string> = {
  encoderSelf: 'Encoder self-attention',
  decoderSelf: 'Decoder self-attention',
  encoderDecoder: 'Encoder–decoder attention',
};

export interface AttentionCompare {
  element: HTMLElement;
  render(
    result: CompareAttentionResultMessage | null,
    kind: AttentionKind,
    theme: ChartTheme,
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

export function createAttentionCompare(onKind: (kind: AttentionKind) => void): AttentionCompare {
  const kinds = segmented<AttentionKind>({
    label: 'Attention to compare',
    options: (Object.keys(KIND_LABELS) as AttentionKind[]).map((kind) => ({
      value: kind,
      text: KIND_LABELS[kind],
      id: `kind-${kind}`,
    })),
    onSelect: onKind,
  });
  const legend = createColorLegend('compare-legend');
  const caption = h('p', { class: 'caption muted', id: 'compare-caption' });
  const heading = h('p', { class: 'sentence-line', id: 'compare-sentence-line' });
  const sidesEl = h('div', { class: 'compare-sides', id: 'compare-sides' });
  const resultEl = h(
    'div',
    { class: 'compare-result', id: 'compare-result', hidden: true },
    heading,
    toolbar(kinds.element),
    toolbar(legend.element, maskedKey('a later step')),
    caption,
    sidesEl,
  );
  const empty = emptyState(
    'Pick two runs and a sentence, then Compare: both translate it and their attention appears here.',
    { id: 'compare-empty' },
  );

  let grids: HeatmapGrid[] = [];
  let shown: { layout: CompareLayout; sides: (AttentionSection | undefined)[] } | null = null;
  let fontSize = 13;

  const clear = (): void => {
    for (const g of grids) g.finalize();
    grids = [];
    shown = null;
  };
  const layoutFor = (sections: (AttentionSection | undefined)[]): CompareLayout =>
    compareLayout(
      sidesEl.clientWidth || document.body.clientWidth || 800,
      present(sections).map((s) => ({ heads: s.heads, keys: s.keys.length, queries: s.queries })),
      fontSize,
    );

  const drawSides = async (
    result: CompareAttentionResultMessage,
    kind: AttentionKind,
    theme: ChartTheme,
  ) => {
    const sections = result.sides.map((s) =>
      s.item ? sectionOf(s.item.attention, kind) : undefined,
    );
    const shownSections = present(sections);
    caption.textContent = shownSections[0]
      ? `${shownSections[0].caption} Padding positions are left out.`
      : '';
    const layout = layoutFor(sections);
    sidesEl.dataset.layout = layout.mode;
    sidesEl.dataset.kind = kind;
    const domainMax = sharedMax(shownSections);
    const sideGrids = sections.map((s, i) =>
      s
        ? heatmapGrid(s, {
            className: 'compare-grid',
            rowHeaderPx: LAYOUT.rowHeader,
            chartPadding: LAYOUT.chartPadding,
            cell: layout.cell,
            domainMax,
            theme,
            figureAttrs: { 'data-side': i },
            labelPrefix: `${result.sides[i].label}: `,
          })
        : null,
    );
    replaceChildren(
      sidesEl,
      result.sides.map((side, i) => sideView(side, i, result.sentence, sideGrids[i])),
    );
    grids = sideGrids.filter((g): g is HeatmapGrid => !!g);
    shown = { layout, sides: sections };
    legend.element.hidden = shownSections.length === 0;
    await Promise.all([
      ...grids.map((g) => g.draw()),
      shownSections.length ? legend.render(domainMax, theme) : legend.clear(),
    ]);
  };

  return {
    element: h('div', {}, empty, resultEl),
    count: () => grids.reduce((n, g) => n + g.count(), 0),
    needsRelayout() {
      if (!shown) return false;
      const next = layoutFor(shown.sides);
      return next.mode !== shown.layout.mode || next.cell !== shown.layout.cell;
    },
    async render(result, kind, theme) {
      clear();
      fontSize = theme.fontSize;
      kinds.render(kind);
      empty.hidden = !!result;
      resultEl.hidden = !result;
      if (!result) {
        replaceChildren(sidesEl);
        return;
      }
      replaceChildren(
        heading,
        h('span', { class: 'muted' }, 'Sentence: '),
        h('span', { class: 'source' }, result.sentence),
      );
      await drawSides(result, kind, theme);
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
