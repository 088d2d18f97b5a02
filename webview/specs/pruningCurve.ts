/** The Heads panel's pruning curve: BLEU (and loss) with the k least important heads masked. Pure. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { HeadReport } from '../../src/shared/protocol';
import { headName } from './headRows';
import { ChartTheme, vegaLiteConfig } from './theme';

export interface PruningDatum {
  k: number;
  bleu: number;
  loss: number;
  /** The head masked last ("—" at k = 0). */
  head: string;
}

export function pruningData(report: Pick<HeadReport, 'pruning'>): PruningDatum[] {
  return report.pruning.map((p) => ({
    k: p.k,
    bleu: p.bleu,
    loss: p.loss,
    head: p.head ? headName(p.head) : '—',
  }));
}

export function pruningCurveSpec(
  report: Pick<HeadReport, 'pruning' | 'order'>,
  theme: ChartTheme,
  height = 200,
): TopLevelSpec {
  const data = pruningData(report);
  return {
    width: 'container',
    height,
    autosize: { type: 'fit', contains: 'padding' },
    description: `BLEU-2 as the k least important heads (by ${report.order}) are switched off`,
    data: { values: data.map((d) => ({ ...d })) },
    encoding: {
      x: {
        field: 'k',
        type: 'quantitative',
        title: `heads masked (least important first, by ${report.order})`,
        axis: { tickMinStep: 1, format: 'd', grid: false },
        scale: { domain: [0, Math.max(1, data.length - 1)], nice: false },
      },
      y: {
        field: 'bleu',
        type: 'quantitative',
        title: 'held-out BLEU-2',
        scale: { domain: [0, 1] },
        axis: { grid: true, tickCount: 5 },
      },
    },
    layer: [
      { mark: { type: 'line', color: theme.accent, strokeWidth: 2 } },
      {
        mark: { type: 'point', filled: true, size: 30, color: theme.accent },
        encoding: {
          tooltip: [
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
