/**
 * Compare Runs' host messages for the browser harness: three runs as the history keeps them
 * (Run 1: 2 layers, dot product, current; Run 2: 4 layers, additive; Run 3: failed, no model),
 * the run list before and after changes, and the attention of two runs for one sentence.
 */
import { DEFAULT_HYPERPARAMETERS } from '../../../src/config/hyperparameters';
import type {
  EpochPoint,
  RunRecord,
  RunsStateMessage,
  TranslationItem,
} from '../../../src/shared/protocol';
import { summaryOf } from '../../helpers/runRecords';
import type { Fixtures } from '../fixtures';
import { NUM_EPOCHS, seed, SEEDS } from './training';

export const RUN_IDS = ['run-1-20261125t101500', 'run-2-20261125t113000', 'run-3-20261125t120000'];
export const HISTORY_LIMIT = 500 * 1024 * 1024;

/** A loss curve that falls like a run's: `scale` sets how fast. */
function lossCurve(numEpochs: number, scale: number, speed: number): EpochPoint[] {
  return Array.from({ length: numEpochs }, (_, i) => {
    const epoch = i + 1;
    return {
      epoch,
      numEpochs,
      lossPerToken: 0.08 + 4.2 * Math.exp(-epoch / scale) + 0.03 * Math.sin(epoch * 1.7),
      tokensPerSecond: speed + 500 * Math.sin(epoch),
      elapsedSeconds: (epoch * 12000) / speed,
      steps: epoch * 10,
    };
  });
}

function run(
  n: number,
  overrides: Partial<RunRecord> & Pick<RunRecord, 'points' | 'seeds'>,
  layers: number,
  attentionFunction: 'dotProduct' | 'additive',
): RunRecord {
  const points = overrides.points;
  const last = points[points.length - 1];
  return {
    id: RUN_IDS[n - 1],
    number: n,
    createdAt: `2026-11-25T${String(9 + n).padStart(2, '0')}:15:00.000Z`,
    status: 'finished',
    hyperparameters: {
      ...DEFAULT_HYPERPARAMETERS,
      numLayers: layers,
      numEpochs: last?.numEpochs ?? 50,
      attentionFunction,
    },
    positionMode: 'correct',
    backend: { name: 'wasm', label: 'WebAssembly (SIMD)', reason: 'no GPU backend installed' },
    summary: summaryOf(points),
    heldOut: null,
    hasCheckpoint: true,
    sizeBytes: 180_000 * layers,
    ...overrides,
  };
}

/** The three runs: what the history keeps of each. */
function runRecords(): RunRecord[] {
  const run1 = run(
    1,
    {
      points: lossCurve(NUM_EPOCHS, 9, 21000),
      seeds: SEEDS,
      heldOut: { count: 200, meanBleu2: 0.412, corpusBleu4: 0.187 },
    },
    2,
    'dotProduct',
  );
  const run2 = run(
    2,
    {
      points: lossCurve(40, 6, 6500),
      seeds: [
        seed('go .', 'va !', 'va !', 1),
        seed('i lost .', "j'ai perdu .", "j'ai perdu .", 1),
        seed("he's calm .", 'il est calme .', 'il est mouillé .', 0.658),
        seed("i'm home .", 'je suis chez moi .', 'je suis chez moi , "ici" .', 0.775),
      ],
      // A comma in the label: the CSV must quote it.
      backend: { name: 'wasm', label: 'WebAssembly (SIMD, 2 threads)', reason: '' },
    },
    4,
    'additive',
  );
  const run3 = run(
    3,
    {
      status: 'failed',
      points: lossCurve(3, 9, 21000),
      seeds: [],
      summary: null,
      hasCheckpoint: false,
      sizeBytes: 2_400,
      error: 'Out of memory, "wasm" heap\nat step 31',
    },
    2,
    'dotProduct',
  );
  return [run1, run2, run3];
}

/** `m2Side`, `m4Side`: "i'm home ." translated by Run 1's and Run 2's models. */
export function runsMessages(
  m2Side: TranslationItem,
  m4Side: TranslationItem,
): Pick<Fixtures, 'runs' | 'runsWithFailed' | 'runsAfterDelete' | 'compareResult'> {
  const [run1, run2, run3] = runRecords();
  const total = (runs: RunRecord[]) => runs.reduce((n, r) => n + r.sizeBytes, 0);
  const state = (runs: RunRecord[], currentRunId: string | null): RunsStateMessage => ({
    type: 'runsState',
    runs: [...runs].sort((a, b) => b.number - a.number),
    currentRunId,
    totalBytes: total(runs),
    limitBytes: HISTORY_LIMIT,
  });
  return {
    runs: state([run1, run2], run1.id),
    runsWithFailed: state([run1, run2, run3], run1.id),
    runsAfterDelete: state([run2, run3], run2.id),
    compareResult: {
      type: 'compareAttentionResult',
      sentence: "i'm home .",
      sides: [
        { runId: run2.id, label: 'Run 2 · 4 layers · additive', item: m4Side },
        { runId: run1.id, label: 'Run 1 · 2 layers', item: m2Side },
      ],
    },
  };
}
