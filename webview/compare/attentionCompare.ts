/**
 * The attention comparison's result: a switch between the three kinds of attention, one colour
 * legend shared by both runs, and per run its label, translation (or why there is none) and
 * its layer × head grid of heatmaps. The two grids sit side by side when they fit, else one
 * above the other, at one cell size.
 */
import type { AttentionKind, AttentionMaps } from '../../src/decode/attentionMaps';
import type { CompareAttentionResultMessage, CompareSide } from '../../src/shared/protocol';
import { AttentionSection, attentionSections } from '../specs/attentionSections';
import { CompareLayout, compareLayout } from '../specs/compareLayout';
import { colorLegendSpec, maxWeight } from '../specs/heatmap';
import { ChartTheme } from '../specs/theme';
import { h, maskedKey, replaceChildren, withUnkMarked } from '../shared/dom';
import { Chart, renderChart } from '../shared/render';
import { renderHeatmapGrid } from './heatmapGrid';

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

export function createAttentionCompare(onKind: (kind: AttentionKind) => void): AttentionCompare {
  const kindButtons = (Object.keys(KIND_LABELS) as AttentionKind[]).map((kind) => {
    const b = h(
      'button',
      { type: 'button', class: 'segment', id: `kind-${kind}`, 'aria-pressed': 'false' },
      KIND_LABELS[kind],
    );
    b.addEventListener('click', () => onKind(kind));
    return { kind, b };
  });
  const legendEl = h('div', { class: 'legend-chart', id: 'compare-legend' });
  const caption = h('p', { class: 'caption muted', id: 'compare-caption' });
  const heading = h('p', { class: 'sentence-line', id: 'compare-sentence-line' });
  const sidesEl = h('div', { class: 'compare-sides', id: 'compare-sides' });
  const resultEl = h(
    'div',
    { class: 'compare-result', id: 'compare-result', hidden: true },
    heading,
    h(
      'div',
      { class: 'toolbar' },
      h(
        'div',
        { class: 'segmented', role: 'group', 'aria-label': 'Attention to compare' },
        kindButtons.map((k) => k.b),
      ),
    ),
    h('div', { class: 'toolbar' }, legendEl, maskedKey('a later step')),
    caption,
    sidesEl,
  );
  const empty = h(
    'p',
    { class: 'empty', id: 'compare-empty' },
    'Pick two runs and a sentence, then Compare: both translate it and their attention appears here.',
  );

  let charts: Chart[] = [];
  let legend: Chart | null = null;
  let shown: { layout: CompareLayout; sides: (AttentionSection | undefined)[] } | null = null;
  let fontSize = 13;

  const finalizeAll = (): void => {
    for (const c of charts) c.finalize();
    charts = [];
    legend?.finalize();
    legend = null;
  };

  const layoutFor = (sections: (AttentionSection | undefined)[]): CompareLayout =>
    compareLayout(
      sidesEl.clientWidth || document.body.clientWidth || 800,
      sections
        .filter((s): s is AttentionSection => !!s)
        .map((s) => ({ heads: s.heads, keys: s.keys.length, queries: s.queries })),
      fontSize,
    );

  const sideView = (side: CompareSide, i: number, source: string): HTMLElement =>
    h(
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
      h('div', { class: 'side-grid' }),
    );

  return {
    element: h('div', {}, empty, resultEl),
    count: () => charts.length,
    needsRelayout() {
      if (!shown) return false;
      const next = layoutFor(shown.sides);
      return next.mode !== shown.layout.mode || next.cell !== shown.layout.cell;
    },
    async render(result, kind, theme) {
      finalizeAll();
      shown = null;
      fontSize = theme.fontSize;
      for (const k of kindButtons) k.b.setAttribute('aria-pressed', String(k.kind === kind));
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
      const sections = result.sides.map((s) =>
        s.item ? sectionOf(s.item.attention, kind) : undefined,
      );
      const present = sections.filter((s): s is AttentionSection => !!s);
      caption.textContent = present[0]
        ? `${present[0].caption} Padding positions are left out.`
        : '';
      const layout = layoutFor(sections);
      sidesEl.dataset.layout = layout.mode;
      sidesEl.dataset.kind = kind;
      const sideEls = result.sides.map((s, i) => sideView(s, i, result.sentence));
      replaceChildren(sidesEl, sideEls);
      const domainMax = sharedMax(present);
      const jobs = sections.map((s, i) => {
        const gridEl = sideEls[i].querySelector<HTMLElement>('.side-grid');
        if (!s || !gridEl) return Promise.resolve([] as Chart[]);
        return renderHeatmapGrid(gridEl, s, {
          side: i,
          sideLabel: result.sides[i].label,
          cell: layout.cell,
          domainMax,
          theme,
        });
      });
      const legendJob = present.length
        ? renderChart(legendEl, colorLegendSpec({ theme, domainMax }))
        : Promise.resolve(null);
      legendEl.hidden = present.length === 0;
      const [grids, legendChart] = await Promise.all([Promise.all(jobs), legendJob]);
      charts = grids.flat();
      legend = legendChart;
      shown = { layout, sides: sections };
    },
  };
}
