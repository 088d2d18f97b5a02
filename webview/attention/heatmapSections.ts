/**
 * The three kinds of attention, one section each (title, what the rows and columns are, the
 * layer × head grid), at one layout that fits the panel (cell size, heads per row). Another
 * snapshot of the same pair (same tokens, shapes, scale, layout and theme) swaps the data into
 * the drawn views instead of embedding them again; "Show as table" shows each grid's tables.
 */
import type { AttentionSection } from '../specs/attentionSections';
import { ATTENTION_GRID, attentionGridLayout, GridLayout } from '../specs/gridLayout';
import type { ChartTheme } from '../specs/theme';
import type { ComposeSection } from '../shared/compose';
import { h, replaceChildren } from '../shared/dom';
import { HeatmapGrid, heatmapGrid } from '../shared/heatmapGrid';
import { section } from '../shared/layout';

/** Controls above the heatmap of one head of one kind (or null). */
export type FigureTools = (
  kind: AttentionSection['kind'],
  layer: number,
  head: number,
) => HTMLElement | null;

export interface HeatmapSections {
  element: HTMLElement;
  /** `tables`: each heatmap as a table instead of a chart. */
  render(
    sections: AttentionSection[],
    domainMax: number,
    theme: ChartTheme,
    tables: boolean,
  ): Promise<void>;
  clear(): void;
  /** Heatmaps on screen. */
  count(): number;
  /** What the composed SVG export lays out: each section's heatmaps as SVG. */
  composeSections(): Promise<ComposeSection[]>;
}

interface Shown {
  sections: AttentionSection[];
  grids: HeatmapGrid[];
  layout: GridLayout;
  /** Everything that fixes the charts' specs but the weights. */
  key: string;
}

function shapeKey(sections: AttentionSection[], max: number, l: GridLayout, theme: ChartTheme) {
  const shapes = sections.map((s) => [s.kind, s.queries, s.keys, s.layers, s.heads]);
  return JSON.stringify([shapes, max, l.cell, l.headsPerRow, theme]);
}

/** Lays every section's grid out in `element`, from scratch; the charts are drawn next. */
function layOut(
  element: HTMLElement,
  sections: AttentionSection[],
  o: { layout: GridLayout; domainMax: number; theme: ChartTheme; tools?: FigureTools },
): Shown {
  const grids = sections.map((s) =>
    heatmapGrid(s, {
      rowHeaderPx: ATTENTION_GRID.rowHeader,
      chartPadding: ATTENTION_GRID.chartPadding,
      cell: o.layout.cell,
      headsPerRow: o.layout.headsPerRow,
      domainMax: o.domainMax,
      theme: o.theme,
      figureTools: o.tools ? (layer, head) => o.tools!(s.kind, layer, head) : undefined,
    }),
  );
  replaceChildren(
    element,
    sections.map((s, i) => sectionView(s, grids[i].element)),
  );
  const key = shapeKey(sections, o.domainMax, o.layout, o.theme);
  return { sections, grids, layout: o.layout, key };
}

/** The sections shown, as the composed SVG export lays them out. */
function composeSections({ sections, grids, layout }: Shown): Promise<ComposeSection[]> {
  const cell = layout.cell;
  return Promise.all(
    sections.map(async (s, i) => ({
      title: s.title,
      caption: s.caption,
      rows: s.layers,
      cols: s.heads,
      plotWidth: s.keys.length * cell,
      plotHeight: s.queries.length * cell,
      charts: await grids[i].svgs(),
    })),
  );
}

/** `onRelayout`: the panel's width changed the layout; the panel renders again. */
export function createHeatmapSections(
  onRelayout: () => void,
  tools?: FigureTools,
): HeatmapSections {
  const element = h('div', { class: 'sections', id: 'sections' });
  let shown: Shown | null = null;
  let fontSize = 13;
  const layoutFor = (sections: readonly AttentionSection[]): GridLayout =>
    attentionGridLayout(
      element.clientWidth || document.body.clientWidth || 800,
      sections.map((s) => ({ heads: s.heads, keys: s.keys.length, queries: s.queries })),
      fontSize,
    );
  const clear = (): void => {
    for (const g of shown?.grids ?? []) g.finalize();
    shown = null;
    replaceChildren(element);
  };
  new ResizeObserver(() => {
    if (!shown) return;
    const next = layoutFor(shown.sections);
    if (next.cell !== shown.layout.cell || next.headsPerRow !== shown.layout.headsPerRow) {
      onRelayout();
    }
  }).observe(element);

  return {
    element,
    async render(sections, domainMax, theme, tables) {
      fontSize = theme.fontSize;
      const layout = layoutFor(sections);
      if (shown && shown.key === shapeKey(sections, domainMax, layout, theme)) {
        const grids = shown.grids;
        shown = { ...shown, sections };
        await Promise.all(grids.map((g, i) => g.update(sections[i])));
      } else {
        clear();
        shown = layOut(element, sections, { layout, domainMax, theme, tools });
        await Promise.all(shown.grids.map((g) => g.draw()));
      }
      for (const g of shown.grids) g.showTables(tables);
    },
    clear,
    count: () => (shown?.grids ?? []).reduce((n, g) => n + g.count(), 0),
    composeSections: async () => (shown ? composeSections(shown) : []),
  };
}

function sectionView(s: AttentionSection, grid: HTMLElement): HTMLElement {
  return section(
    {
      id: `section-${s.kind}`,
      variant: 'plain',
      className: 'attention-section',
      attrs: { 'data-kind': s.kind },
      title: [s.title, h('span', { class: 'muted count' }, ` ${s.layers} × ${s.heads} heads`)],
    },
    h('p', { class: 'caption muted' }, s.caption),
    grid,
  );
}
