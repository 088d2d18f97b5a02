/**
 * What the attention panel says about the heads of the sentence shown (issue 13 item 4): the
 * per-head statistics table (with the held-out averages of the run's head report beside them),
 * each heatmap's label, and the attention rollout over the encoder layers. All of it is computed
 * here from the maps the panel already has (src/explore/headStats.ts and rollout.ts are plain
 * data, no tfjs): a table of 24 heads of ten-token maps is well under a millisecond, and no
 * round trip to the worker is needed. With heads switched off, the rollout leaves them out and
 * reads the masked translation's maps once they came; the table can show either translation.
 */
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import { headStatsOf } from '../../src/explore/headStats';
import type { DisplayedView } from '../specs/attentionView';
import { labelsOf, sortStatRows, statRows } from '../specs/headStatRows';
import { nextHeadSort } from '../specs/headRows';
import { rolloutMap } from '../specs/rolloutMap';
import type { ChartTheme } from '../specs/theme';
import { enqueue, post } from '../shared/vscodeApi';
import * as ex from './explore';
import { explore } from './explore';
import { showHeadLabels } from './headLabels';
import { createRolloutView, RolloutProps } from './rolloutView';
import * as store from './state';
import { state } from './state';
import { createStatsTable, StatsTableProps } from './statsTable';

/** What the statistics are of, for people. */
function subjectOf(d: DisplayedView, masked: boolean): string {
  if (d.view === 'snapshot') return `the probe pair at epoch ${d.epoch} (teacher-forced)`;
  const item = d.item!;
  const translation = masked ? explore.masked?.result?.translation : item.translation;
  return `“${item.source}” → “${translation}”${masked ? ' with those heads off' : ''}`;
}

function tableProps(d: DisplayedView, masked: AttentionMaps | null): StatsTableProps {
  const ofMasked = masked !== null && explore.statsOf === 'masked';
  const report = state.data?.headReport ?? null;
  const rows = statRows(headStatsOf(ofMasked ? masked : d.maps), {
    heldOut: report?.report.heads,
    off: ofMasked ? explore.off : [],
  });
  return {
    rows: sortStatRows(rows, state.statsSort, state.statsKind),
    sort: state.statsSort,
    kind: state.statsKind,
    subject: subjectOf(d, ofMasked),
    of: masked === null ? null : explore.statsOf,
    heldOut: report ? { source: report.source, count: report.report.count } : null,
  };
}

function rolloutProps(
  d: DisplayedView,
  masked: AttentionMaps | null,
  theme: ChartTheme,
): RolloutProps | null {
  // Heads are switched only on the current translation; a snapshot is shown as it was.
  const off = d.view === 'current' ? explore.off : [];
  const map = rolloutMap(masked ?? d.maps, { off, layer: state.rolloutLayer, scale: state.scale });
  if (!map) return null;
  const waiting = off.length > 0 && masked === null;
  const note =
    map.headsOff > 0
      ? `${map.headsOff} encoder head${map.headsOff === 1 ? '' : 's'} off, left out of the means` +
        (waiting ? '; the later layers follow when the translation without them comes.' : '.')
      : '';
  return { map, theme, tables: state.showTable, note };
}

export function createInsights() {
  let last: { d: DisplayedView | null; grid: HTMLElement | null; theme: ChartTheme | null } = {
    d: null,
    grid: null,
    theme: null,
  };
  const again = (why: string) => void enqueue(() => render(last.d, last.grid!, last.theme!), why);
  const table = createStatsTable({
    onSort(column) {
      store.update({ statsSort: nextHeadSort(state.statsSort, column) });
      again('sorting the statistics');
    },
    onKind(kind) {
      if (store.update({ statsKind: kind })) again('listing other heads');
    },
    onOf(of) {
      ex.showStatsOf(of);
      again('statistics of another translation');
    },
    onScore: () => post({ type: 'scoreHeadImportance' }),
  });
  const rollout = createRolloutView((layer) => {
    store.update({ rolloutLayer: layer });
    again('rollout after another layer');
  });

  /** Draws them for `d` (null: hides them); `grid`: the heatmaps, whose labels follow `d`. */
  async function render(d: DisplayedView | null, grid: HTMLElement, theme: ChartTheme) {
    last = { d, grid, theme };
    const masked = d?.view === 'current' ? ex.maskedMaps() : null;
    showHeadLabels(grid, d ? labelsOf(d.maps) : null);
    table.render(d ? tableProps(d, masked) : null);
    await rollout.render(d ? rolloutProps(d, masked, theme) : null);
  }

  return {
    elements: [rollout.element, table.element],
    render,
    /** Drawn again for what was last shown (the explore parts changed: heads, an answer). */
    refresh: () => last.grid && again('statistics after the heads changed'),
  };
}
