/**
 * The charts as tables: the text alternative that "Show as table" draws (shared/dataTable.ts)
 * for a heatmap, the training loss curve and Compare Runs' curves. Each cell is the number the
 * chart draws, formatted as its tooltip formats it. Pure.
 */
import type { EpochPoint } from '../../src/shared/protocol';
import { formatDuration, formatInteger } from '../shared/format';
import type { AttentionSection } from './attentionSections';
import { formatWeight } from './cellNavigation';
import { positionLabels } from './heatmap';
import { RunCurve, runPointRows } from './runCurves';
import { NONE } from './runRows';

export interface TableColumn {
  label: string;
  numeric?: boolean;
}

export interface TableRow {
  /** The row's header cell (`<th scope="row">`). */
  header: string;
  cells: string[];
}

export interface TableModel {
  caption: string;
  /** The header over the row headers (`<th scope="col">`). */
  corner: string;
  columns: TableColumn[];
  rows: TableRow[];
}

/** One heatmap: a row per query, a column per key, the weights with 3 decimals or `masked`. */
export function heatmapTable(
  s: Pick<AttentionSection, 'grid' | 'queries' | 'keys' | 'title'>,
  layer: number,
  head: number,
  labelPrefix = '',
): TableModel {
  const weights = s.grid[layer]?.[head] ?? [];
  return {
    caption: `${labelPrefix}${s.title}, layer ${layer + 1}, head ${head + 1}: the weight each query (row) gives each key (column)`,
    corner: 'query \\ key',
    columns: positionLabels(s.keys).map((label) => ({ label, numeric: true })),
    rows: positionLabels(s.queries).map((header, q) => ({
      header,
      cells: s.keys.map((_, k) => formatWeight(weights[q]?.[k])),
    })),
  };
}

/** The training panel's loss curve: a row per epoch, as its tooltip shows them. */
export function lossTable(points: readonly EpochPoint[]): TableModel {
  return {
    caption: lossCaption(points.length),
    corner: 'Epoch',
    columns: [
      { label: 'Loss / token', numeric: true },
      { label: 'Tokens / s', numeric: true },
      { label: 'Elapsed', numeric: true },
    ],
    rows: points.map(lossRow),
  };
}

export function lossCaption(epochs: number): string {
  return `Loss per token after each epoch (${epochs} epoch${epochs === 1 ? '' : 's'})`;
}

/** One epoch's row of lossTable (appended as epochs stream in). */
export function lossRow(p: EpochPoint): TableRow {
  return {
    header: String(p.epoch),
    cells: [
      p.lossPerToken.toFixed(4),
      formatInteger(p.tokensPerSecond),
      formatDuration(p.elapsedSeconds),
    ],
  };
}

/**
 * Compare Runs' curves: a row per epoch that any run reached, a column per run with its loss
 * (— where that run has no point). The same points as the chart (thinned alike).
 */
export function runCurvesTable(curves: readonly RunCurve[], maxPointsPerRun?: number): TableModel {
  const points = runPointRows(curves, maxPointsPerRun);
  const byRun = curves.map(
    (c) => new Map(points.filter((p) => p.runId === c.runId).map((p) => [p.epoch, p.lossPerToken])),
  );
  const epochs = [...new Set(points.map((p) => p.epoch))].sort((a, b) => a - b);
  return {
    caption: 'Loss per token by epoch, a column per checked run',
    corner: 'Epoch',
    columns: curves.map((c) => ({ label: c.label, numeric: true })),
    rows: epochs.map((epoch) => ({
      header: String(epoch),
      cells: byRun.map((m) => {
        const loss = m.get(epoch);
        return loss === undefined ? NONE : loss.toFixed(4);
      }),
    })),
  };
}
