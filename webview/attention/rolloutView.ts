/**
 * The rollout map (issue 13 item 4): attention rollout over the encoder layers of the sentence
 * shown (specs/rolloutMap.ts), drawn by the shared heatmap grid — one tab stop whose cells the
 * arrow keys move over, and its table under "Show as table" — with its own colour key and a
 * selector for the layer it is shown after (the last by default). The same shape with other
 * weights (another snapshot, a head switched) swaps the data into the drawn chart.
 */
import type { RolloutMap } from '../specs/rolloutMap';
import { ROLLOUT_CAPTION } from '../specs/rolloutMap';
import { ATTENTION_GRID, attentionGridLayout } from '../specs/gridLayout';
import type { ChartTheme } from '../specs/theme';
import { createColorLegend } from '../shared/colorLegend';
import { h, replaceChildren } from '../shared/dom';
import { HeatmapGrid, HeatmapNames, heatmapGrid } from '../shared/heatmapGrid';
import { section, toolbar } from '../shared/layout';

export interface RolloutProps {
  map: RolloutMap;
  theme: ChartTheme;
  /** "Show as table". */
  tables: boolean;
  /** Which maps, for people ("with 1 encoder head off"), or ''. */
  note: string;
}

function namesOf(map: RolloutMap): HeatmapNames {
  return {
    layer: () => 'Encoder',
    head: () => `After layer ${map.layer + 1}`,
    figure: () =>
      `Attention rollout over the encoder, after layer ${map.layer + 1} of ${map.layers}`,
  };
}

/** The drawn map: its grid, and what fixed its layout and names (another one: drawn anew). */
interface Drawn {
  grid: HeatmapGrid | null;
  key: string;
}

/** Draws `p` into `box` at `width`, or swaps its weights into the drawn grid when it can. */
async function drawMap(box: HTMLElement, drawn: Drawn, p: RolloutProps, width: number) {
  const { map, theme } = p;
  const s = map.section;
  const shape = [{ heads: 1, keys: s.keys.length, queries: s.queries }];
  const { cell } = attentionGridLayout(width, shape, theme.fontSize);
  const key = JSON.stringify([s.queries, map.layer, map.layers, map.domainMax, cell, theme]);
  if (drawn.grid && key === drawn.key) return drawn.grid.update(s);
  drawn.grid?.finalize();
  const grid = heatmapGrid(s, {
    className: 'rollout-grid',
    rowHeaderPx: ATTENTION_GRID.rowHeader,
    chartPadding: ATTENTION_GRID.chartPadding,
    cell,
    domainMax: map.domainMax,
    theme,
    figureAttrs: { 'data-kind': 'rollout' },
    names: namesOf(map),
  });
  Object.assign(drawn, { grid, key: '' });
  replaceChildren(box, grid.element);
  await grid.draw();
  drawn.key = key;
}

/** "After encoder layer [2 (last)]": one option per layer. */
function layerOptions(select: HTMLSelectElement, map: RolloutMap): void {
  replaceChildren(
    select,
    Array.from({ length: map.layers }, (_, l) =>
      h('option', { value: l }, `${l + 1}${l === map.layers - 1 ? ' (last)' : ''}`),
    ),
  );
  select.value = String(map.layer);
}

export function createRolloutView(onLayer: (layer: number) => void) {
  const select = h('select', { id: 'rollout-layer', class: 'select' });
  select.addEventListener('change', () => onLayer(Number(select.value)));
  const legend = createColorLegend('rollout-legend');
  const note = h('p', { class: 'muted', id: 'rollout-note' });
  const box = h('div', { id: 'rollout-grid' });
  const element = section(
    {
      id: 'rollout',
      variant: 'plain',
      className: 'attention-section rollout-section',
      title: 'Attention rollout',
      attrs: { id: 'rollout' },
    },
    h('p', { class: 'caption muted' }, ROLLOUT_CAPTION),
    toolbar(
      h('label', { for: 'rollout-layer', class: 'inline-label' }, 'After encoder layer '),
      select,
      legend.element,
    ),
    note,
    box,
  );
  const drawn: Drawn = { grid: null, key: '' };
  return {
    element,
    /** Draws the map (null: hides the section). */
    async render(p: RolloutProps | null): Promise<void> {
      element.hidden = p === null;
      if (!p) {
        drawn.grid?.finalize();
        Object.assign(drawn, { grid: null, key: '' });
        replaceChildren(box);
        return legend.clear();
      }
      layerOptions(select, p.map);
      note.textContent = p.note;
      await drawMap(box, drawn, p, element.clientWidth || document.body.clientWidth || 800);
      drawn.grid?.showTables(p.tables);
      await legend.render(p.map.domainMax, p.theme);
    },
  };
}
