/**
 * The loss curves of several runs overlaid: x = epoch, y = loss per token, one colour and one
 * dash pattern per run (so that the runs are told apart without colour too; one legend of run
 * names shows both), a tooltip per point. Each run keeps its colour and dash while others are
 * checked or unchecked (both come from its place among all runs). Pure: data in, spec out.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { EpochPoint, RunRecord } from '../../src/shared/protocol';
import { runName } from './runRows';
import { ChartTheme, ThemeKind, vegaLiteConfig } from './theme';

export const RUN_CURVES_DATASET = 'runPoints';

export interface RunCurve {
  runId: string;
  /** Legend and tooltip name, unique per curve ("Run 7"). */
  label: string;
  color: string;
  /** The line's dash pattern (`[1, 0]`: solid). */
  dash: number[];
  points: readonly EpochPoint[];
  /** Extra tooltip line: "2 layers · dotProduct". */
  detail?: string;
}

/** One point of one run: the chart's data rows. */
export interface RunPointRow {
  run: string;
  runId: string;
  detail: string;
  epoch: number;
  lossPerToken: number;
  tokensPerSecond: number;
}

export interface RunCurvesOptions {
  height?: number;
  /** Longer curves are thinned to about this many points (first and last kept). */
  maxPointsPerRun?: number;
}

/** VS Code's chart colours first (they follow the theme), then more distinct hues. */
const PALETTE_VARS: readonly [string, Record<'light' | 'dark', string>][] = [
  ['--vscode-charts-blue', { light: '#1a85ff', dark: '#3794ff' }],
  ['--vscode-charts-orange', { light: '#d18616', dark: '#d18616' }],
  ['--vscode-charts-green', { light: '#388a34', dark: '#89d185' }],
  ['--vscode-charts-purple', { light: '#652d90', dark: '#b180d7' }],
  ['--vscode-charts-red', { light: '#e51400', dark: '#f14c4c' }],
  ['--vscode-charts-yellow', { light: '#bf8803', dark: '#cca700' }],
];
const EXTRA: Record<'light' | 'dark', string[]> = {
  light: ['#0f8b8d', '#c2185b', '#795548', '#5c6bc0'],
  dark: ['#4dd0e1', '#f06292', '#bcaaa4', '#9fa8da'],
};

/** Dash patterns, one per run after its colour: the curves differ by more than colour. */
export const RUN_DASHES: readonly number[][] = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [12, 4],
  [3, 4],
  [10, 3, 2, 3, 2, 3],
];

/** Ten run colours from the theme's `--vscode-charts-*` variables (fallbacks per kind). */
export function runPalette(getVar: (name: string) => string, kind: ThemeKind): string[] {
  const tone = kind === 'light' || kind === 'high-contrast-light' ? 'light' : 'dark';
  return [
    ...PALETTE_VARS.map(([name, fallback]) => getVar(name).trim() || fallback[tone]),
    ...EXTRA[tone],
  ];
}

/**
 * The curves of `shown` (in legend order), coloured by each run's place in `all` sorted by
 * number: a run keeps its colour however the others are checked.
 */
export function runCurves(
  shown: readonly RunRecord[],
  all: readonly RunRecord[],
  palette: readonly string[],
): RunCurve[] {
  const order = [...all].sort((a, b) => a.number - b.number).map((r) => r.id);
  return shown.map((run) => {
    const i = Math.max(0, order.indexOf(run.id));
    const h = run.hyperparameters;
    return {
      runId: run.id,
      label: runName(run),
      color: palette.length ? palette[i % palette.length] : '#888888',
      dash: RUN_DASHES[i % RUN_DASHES.length],
      points: run.points,
      detail: `${h.numLayers} layer${h.numLayers === 1 ? '' : 's'} · ${h.attentionFunction}`,
    };
  });
}

/** Every `step`-th point so that about `max` remain, always with the first and the last. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (max < 2 || points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}

export function runPointRows(curves: readonly RunCurve[], maxPointsPerRun = 500): RunPointRow[] {
  return curves.flatMap((c) =>
    thin(c.points, maxPointsPerRun)
      .filter((p) => Number.isFinite(p.epoch) && Number.isFinite(p.lossPerToken))
      .map((p) => ({
        run: c.label,
        runId: c.runId,
        detail: c.detail ?? '',
        epoch: p.epoch,
        lossPerToken: p.lossPerToken,
        tokensPerSecond: p.tokensPerSecond,
      })),
  );
}

/** One colour per run, in the table's order, with a legend of their names on the right. */
function runColors(curves: readonly RunCurve[], theme: ChartTheme) {
  return {
    field: 'run',
    type: 'nominal',
    title: null,
    scale: { domain: curves.map((c) => c.label), range: curves.map((c) => c.color) },
    legend: {
      orient: 'right',
      symbolType: 'stroke',
      symbolStrokeWidth: 3,
      labelFontSize: Math.max(9, theme.fontSize - 2),
      labelLimit: 160,
    },
  } as const;
}

/** One dash pattern per run, merged into the colour legend (same field, same legend). */
function runDashes(curves: readonly RunCurve[]) {
  return {
    field: 'run',
    type: 'nominal',
    title: null,
    scale: { domain: curves.map((c) => c.label), range: curves.map((c) => c.dash) },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3 },
  } as const;
}

/**
 * Give it at least one point (an empty dataset makes Vega warn about an infinite extent: the
 * panel shows a note instead).
 */
export function runCurvesSpec(
  curves: readonly RunCurve[],
  theme: ChartTheme,
  options: RunCurvesOptions = {},
): TopLevelSpec {
  const rows = runPointRows(curves, options.maxPointsPerRun);
  return {
    width: 'container',
    height: options.height ?? 260,
    autosize: { type: 'fit', contains: 'padding' },
    datasets: { [RUN_CURVES_DATASET]: rows },
    data: { name: RUN_CURVES_DATASET },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'epoch',
        scale: { nice: true },
        axis: { tickMinStep: 1, format: 'd', grid: false },
      },
      y: {
        field: 'lossPerToken',
        type: 'quantitative',
        title: 'loss per token',
        scale: { zero: true },
        axis: { grid: true, tickCount: 5 },
      },
      color: runColors(curves, theme),
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2, interpolate: 'monotone' },
        encoding: { strokeDash: runDashes(curves) },
      },
      {
        mark: { type: 'point', filled: true, size: 18, opacity: 0.85 },
        encoding: {
          tooltip: [
            { field: 'run', type: 'nominal', title: 'run' },
            { field: 'detail', type: 'nominal', title: 'model' },
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
