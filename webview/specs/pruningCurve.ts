/**
 * The pruning curve: held-out BLEU-2 (and loss) with the k least important heads masked. One
 * run's in the Heads panel; two runs' on one chart in Compare Runs (a colour per run, as their
 * loss curves), and the same points as a table. Pure.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { HeadReport } from '../../src/shared/protocol';
import type { TableModel } from './dataTables';
import { headName } from './headRows';
import { NONE } from './runRows';
import { ChartTheme, vegaLiteConfig } from './theme';

export interface PruningDatum {
  k: number;
  bleu: number;
  loss: number;
  /** The head masked last ("—" at k = 0). */
  head: string;
}

type PruningReport = Pick<HeadReport, 'pruning' | 'order'>;

/** One run's curve on a chart of several: its name in the legend and its colour. */
export interface PruningSeries {
  label: string;
  color: string;
  report: PruningReport;
}

export function pruningData(report: Pick<HeadReport, 'pruning'>): PruningDatum[] {
  return report.pruning.map((p) => ({
    k: p.k,
    bleu: p.bleu,
    loss: p.loss,
    head: p.head ? headName(p.head) : '—',
  }));
}

/** "gradient", or "gradient / BLEU drop" when the runs pruned by different scores. */
function ordersOf(series: readonly PruningSeries[]): string {
  return [...new Set(series.map((s) => s.report.order))].join(' / ');
}

/** The runs' curves on one chart: x heads masked, y BLEU-2 on [0, 1], a colour per run. */
export function pruningCurvesSpec(
  series: readonly PruningSeries[],
  theme: ChartTheme,
  height = 200,
): TopLevelSpec {
  const rows = series.flatMap((s) => pruningData(s.report).map((d) => ({ run: s.label, ...d })));
  const maxK = Math.max(1, ...rows.map((d) => d.k));
  const order = ordersOf(series);
  const several = series.length > 1;
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: null,
    scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
    legend: several ? { orient: 'bottom' as const, direction: 'vertical' as const } : null,
  };
  const runTip = several ? [{ field: 'run', type: 'nominal' as const, title: 'run' }] : [];
  return {
    width: 'container',
    height,
    autosize: { type: 'fit', contains: 'padding' },
    description: `BLEU-2 as the k least important heads (by ${order}) are switched off${several ? `: ${series.map((s) => s.label).join(' and ')}` : ''}`,
    data: { values: rows },
    encoding: {
      x: {
        field: 'k',
        type: 'quantitative',
        title: `heads masked (least important first, by ${order})`,
        axis: { tickMinStep: 1, format: 'd', grid: false },
        scale: { domain: [0, maxK], nice: false },
      },
      y: {
        field: 'bleu',
        type: 'quantitative',
        title: 'held-out BLEU-2',
        scale: { domain: [0, 1] },
        axis: { grid: true, tickCount: 5 },
      },
      color,
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2 } },
      {
        mark: { type: 'point', filled: true, size: 30 },
        encoding: {
          tooltip: [
            ...runTip,
            { field: 'k', type: 'quantitative', title: 'heads off' },
            { field: 'head', type: 'nominal', title: 'last head off' },
            { field: 'bleu', type: 'quantitative', title: 'BLEU-2', format: '.3f' },
            { field: 'loss', type: 'quantitative', title: 'loss', format: '.3f' },
          ],
        },
      },
    ],
    config: vegaLiteConfig(theme),
  };
}

/** The Heads panel's one curve, in the theme's accent colour. */
export function pruningCurveSpec(
  report: PruningReport,
  theme: ChartTheme,
  height = 200,
): TopLevelSpec {
  return pruningCurvesSpec([{ label: 'BLEU-2', color: theme.accent, report }], theme, height);
}

/**
 * The curves as a table: a row per number of heads masked, per run its BLEU-2 and the head
 * masked last (— past a run's last head: a smaller model has fewer).
 */
export function pruningTable(series: readonly PruningSeries[]): TableModel {
  const data = series.map((s) => new Map(pruningData(s.report).map((d) => [d.k, d])));
  const ks = [...new Set(data.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return {
    caption: `Held-out BLEU-2 with the k least important heads masked (by ${ordersOf(series)})`,
    corner: 'Heads masked',
    columns: series.flatMap((s) => [
      { label: `${s.label}: BLEU-2`, numeric: true },
      { label: `${s.label}: last head off` },
    ]),
    rows: ks.map((k) => ({
      header: String(k),
      cells: data.flatMap((m) => {
        const d = m.get(k);
        return d ? [d.bleu.toFixed(3), d.head] : [NONE, NONE];
      }),
    })),
  };
}
