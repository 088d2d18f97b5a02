/**
 * The run table as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a quote, comma or
 * line break in double quotes, quotes doubled). Raw values at full precision, not the rounded
 * text of the table. Pure.
 */
import type { RunRecord } from '../../src/shared/protocol';
import {
  epochsCompleted,
  finalLoss,
  RowContext,
  seedBleu,
  tokensPerSecond,
  wallSeconds,
} from './runRows';

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvColumn {
  header: string;
  value(run: RunRecord, ctx: RowContext): CsvValue;
}

export const CSV_FILE_NAME = 'transformer-runs.csv';

export const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: 'run', value: (r) => r.number },
  { header: 'id', value: (r) => r.id },
  { header: 'created', value: (r) => r.createdAt },
  { header: 'status', value: (r) => r.status },
  { header: 'current', value: (r, ctx) => r.id === ctx.currentRunId },
  { header: 'numLayers', value: (r) => r.hyperparameters.numLayers },
  { header: 'numHiddens', value: (r) => r.hyperparameters.numHiddens },
  { header: 'numHeads', value: (r) => r.hyperparameters.numHeads },
  { header: 'ffnNumHiddens', value: (r) => r.hyperparameters.ffnNumHiddens },
  { header: 'attentionFunction', value: (r) => r.hyperparameters.attentionFunction },
  { header: 'dropout', value: (r) => r.hyperparameters.dropout },
  { header: 'batchSize', value: (r) => r.hyperparameters.batchSize },
  { header: 'numSteps', value: (r) => r.hyperparameters.numSteps },
  { header: 'learningRate', value: (r) => r.hyperparameters.learningRate },
  { header: 'numExamples', value: (r) => r.hyperparameters.numExamples },
  { header: 'seed', value: (r) => r.hyperparameters.seed },
  { header: 'numEpochs', value: (r) => r.hyperparameters.numEpochs },
  { header: 'epochsCompleted', value: epochsCompleted },
  { header: 'positionMode', value: (r) => r.positionMode },
  { header: 'backend', value: (r) => r.backend?.label },
  { header: 'lossPerToken', value: finalLoss },
  { header: 'tokensPerSecond', value: tokensPerSecond },
  { header: 'seconds', value: wallSeconds },
  { header: 'seedBleu', value: seedBleu },
  { header: 'heldOutCount', value: (r) => r.heldOut?.count },
  { header: 'heldOutMeanBleu2', value: (r) => r.heldOut?.meanBleu2 },
  { header: 'heldOutCorpusBleu4', value: (r) => r.heldOut?.corpusBleu4 },
  { header: 'hasCheckpoint', value: (r) => r.hasCheckpoint },
  { header: 'sizeBytes', value: (r) => r.sizeBytes },
  { header: 'error', value: (r) => r.error },
];

/** One field: empty for missing values, quoted when it holds `"`, `,`, CR or LF. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line and one line per run (in the order given), each ending with CRLF. */
export function runsCsv(
  runs: readonly RunRecord[],
  ctx: RowContext,
  columns: readonly CsvColumn[] = CSV_COLUMNS,
): string {
  const lines = [
    columns.map((c) => csvField(c.header)),
    ...runs.map((r) => columns.map((c) => csvField(c.value(r, ctx)))),
  ];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}
