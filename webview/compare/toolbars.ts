/**
 * Compare Runs' toolbar buttons: the exports (the runs table as CSV in the table's order, the
 * loss-curve chart as PNG or SVG) and Open Model… (the command of the same name).
 */
import type { RunRecord } from '../../src/shared/protocol';
import { CSV_FILE_NAME, runsCsv } from '../specs/runsCsv';
import { h } from '../shared/dom';
import { exportToolbar } from '../shared/exportToolbar';
import { post } from '../shared/vscodeApi';
import type { CurvesChart } from './curvesChart';

export function csvExport(rows: () => RunRecord[], ctx: () => { currentRunId: string | null }) {
  return exportToolbar('Export the table:', 'csv-status', [
    {
      id: 'export-csv',
      text: 'CSV',
      title: 'Every run and its settings and scores, in the table’s order',
      make: () => ({
        type: 'export',
        format: 'csv',
        suggestedName: CSV_FILE_NAME,
        content: runsCsv(rows(), ctx()),
      }),
    },
  ]);
}

export function chartExport(chart: CurvesChart) {
  return exportToolbar('Export the chart:', 'curves-status', [
    {
      id: 'export-png',
      text: 'PNG',
      title: 'The chart as a PNG image (twice the size on screen)',
      make: async () => ({
        type: 'export',
        format: 'png',
        suggestedName: 'transformer-runs-loss.png',
        content: await chart.png(),
      }),
    },
    {
      id: 'export-svg',
      text: 'SVG',
      title: 'The chart as an SVG image',
      make: async () => ({
        type: 'export',
        format: 'svg',
        suggestedName: 'transformer-runs-loss.svg',
        content: await chart.svg(),
      }),
    },
  ]);
}

/** Open Model…: the host runs transformerExplorer.openModel (its file picker). */
export function openModelButton(): HTMLButtonElement {
  const b = h(
    'button',
    {
      type: 'button',
      id: 'open-model',
      class: 'secondary',
      title:
        'Open a model the book’s PyTorch code saved (.pt, .safetensors): it becomes an imported run',
    },
    'Open Model…',
  );
  b.addEventListener('click', () => post({ type: 'runCommand', command: 'openModel' }));
  return b;
}
