/** The live loss-per-token curve of the training panel. Pure: data in, spec out. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { EpochPoint } from '../../src/shared/protocol';
import { ChartTheme, vegaLiteConfig } from './theme';

/** The named dataset new epochs are appended to: `view.insert(LOSS_DATASET, [point]).run()`. */
export const LOSS_DATASET = 'points';

export interface LossCurveOptions {
  /** Fixes the x axis to 1..numEpochs so the curve grows into it. */
  numEpochs?: number;
  height?: number;
}

/**
 * Give it at least one point: with an empty dataset Vega warns about an infinite extent (the
 * training panel shows a note instead of an empty chart, and embeds on the first epoch).
 */
export function lossCurveSpec(
  points: readonly EpochPoint[],
  theme: ChartTheme,
  options: LossCurveOptions = {},
): TopLevelSpec {
  const numEpochs = options.numEpochs ?? points[points.length - 1]?.numEpochs;
  const fixed = numEpochs !== undefined && numEpochs >= 2;
  const x = {
    field: 'epoch',
    type: 'quantitative',
    title: 'epoch',
    scale: fixed ? { domain: [1, numEpochs], nice: false } : { nice: true },
    axis: { tickMinStep: 1, format: 'd', grid: false },
  } as const;
  const y = {
    field: 'lossPerToken',
    type: 'quantitative',
    title: 'loss per token',
    scale: { zero: true },
    axis: { grid: true, tickCount: 5 },
  } as const;
  return {
    width: 'container',
    height: options.height ?? 220,
    autosize: { type: 'fit', contains: 'padding' },
    datasets: { [LOSS_DATASET]: points.map((p) => ({ ...p })) },
    data: { name: LOSS_DATASET },
    encoding: { x, y },
    layer: [
      { mark: { type: 'line', color: theme.accent, strokeWidth: 2, interpolate: 'monotone' } },
      {
        mark: { type: 'point', filled: true, size: 24, color: theme.accent, opacity: 0.9 },
        encoding: {
          tooltip: [
            { field: 'epoch', type: 'quantitative', title: 'epoch' },
            { field: 'lossPerToken', type: 'quantitative', title: 'loss/token', format: '.4f' },
            { field: 'tokensPerSecond', type: 'quantitative', title: 'tokens/s', format: ',.0f' },
          ],
        },
      },
    ],
    config: vegaLiteConfig(theme),
  };
}
