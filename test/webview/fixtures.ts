/**
 * Realistic host → webview messages for the browser harness: attention maps come from a real
 * d2l Transformer with random weights (greedy decoding on the cpu backend, and a teacher-forced
 * pass for the training snapshots); sentences, losses and scores are made up to look like a run.
 */
import { selectBackend } from '../../src/backend/backend';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { RESERVED_TOKENS } from '../../src/data/nmtDataset';
import { Vocab } from '../../src/data/vocab';
import { AttentionGrid, AttentionMaps } from '../../src/decode/attentionMaps';
import { beamTranslate } from '../../src/decode/beam';
import { greedyTranslate, tokenizeSource } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import type {
  AttentionDataMessage,
  AttentionSnapshot,
  CompareAttentionResultMessage,
  EpochPoint,
  RunRecord,
  RunsStateMessage,
  ScoredSentence,
  TrainingStateMessage,
  TranslationItem,
  TranslationsMessage,
} from '../../src/shared/protocol';
import { summaryOf } from '../helpers/runRecords';

const SRC_WORDS = ['go', '.', 'i', 'lost', 'home', "i'm", "he's", 'calm', 'won', '!', 'run'];
const TGT_WORDS = [
  'va',
  '!',
  "j'ai",
  'perdu',
  '.',
  'je',
  'suis',
  'chez',
  'moi',
  'il',
  'est',
  'calme',
];
const NUM_STEPS = 10;
export const NUM_EPOCHS = 50;

function vocab(words: string[]): Vocab {
  return Vocab.fromTable(['<unk>', ...RESERVED_TOKENS, ...words]);
}

export interface Fixtures {
  trainingStart: TrainingStateMessage;
  epochs: EpochPoint[];
  trainingDone: TrainingStateMessage;
  translations: TranslationsMessage;
  attention: AttentionDataMessage;
  /** The same with a 4-layer model: 48 heatmaps. */
  attention4: AttentionDataMessage;
  /** Compare Runs: Run 1 (2 layers, dot product, current) and Run 2 (4 layers, additive). */
  runs: RunsStateMessage;
  /** The same plus Run 3, which failed (no checkpoint). */
  runsWithFailed: RunsStateMessage;
  /** Run 1 deleted: Run 2 and Run 3 are left. */
  runsAfterDelete: RunsStateMessage;
  /** "i'm home ." with Run 2 (side A, 4 layers) and Run 1 (side B, 2 layers). */
  compareResult: CompareAttentionResultMessage;
}

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

function seed(
  source: string,
  reference: string,
  translation: string,
  bleu: number,
): ScoredSentence {
  return { source, reference, translation, bleu, unknownTokens: [] };
}

function runsFixtures(
  m2Side: TranslationItem,
  m4Side: TranslationItem,
): Pick<Fixtures, 'runs' | 'runsWithFailed' | 'runsAfterDelete' | 'compareResult'> {
  const run1 = run(
    1,
    {
      points: lossCurve(NUM_EPOCHS, 9, 21000),
      seeds: [
        seed('go .', 'va !', 'va !', 1),
        seed('i lost .', "j'ai perdu .", "j'ai perdu .", 1),
        seed("he's calm .", 'il est calme .', 'il est <unk> .', 0.658),
        seed("i'm home .", 'je suis chez moi .', 'je suis chez moi .', 1),
      ],
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

function model(numLayers: number, seed: number, srcV: Vocab, tgtV: Vocab): Transformer {
  return new Transformer(
    {
      numHiddens: 32,
      numLayers,
      numHeads: 4,
      ffnNumHiddens: 64,
      dropout: 0.1,
      srcVocabSize: srcV.size,
      tgtVocabSize: tgtV.size,
    },
    seed,
  );
}

/** Teacher-forced attention of (source, target), masked like greedyTranslate's. */
function teacherForced(
  m: Transformer,
  srcV: Vocab,
  tgtV: Vocab,
  src: string,
  tgt: string,
): AttentionMaps {
  const srcIds = [...srcV.encode(tokenizeSource(src)), srcV.eos];
  const validLen = Math.min(srcIds.length, NUM_STEPS);
  const padded = [...srcIds, ...Array(NUM_STEPS).fill(srcV.pad)].slice(0, NUM_STEPS);
  const tgtTokens = tokenizeSource(tgt);
  const decIds = [tgtV.bos, ...tgtV.encode(tgtTokens)];
  const toGrid = (ws: tf.Tensor[], keep: (q: number, k: number) => boolean): AttentionGrid =>
    ws.map((w) =>
      (w.arraySync() as number[][][][])[0].map((head) =>
        head.map((row, q) => row.map((v, k) => (keep(q, k) ? v : null))),
      ),
    );
  let out: Pick<AttentionMaps, 'encoderSelf' | 'decoderSelf' | 'encoderDecoder'> | undefined;
  tf.tidy(() => {
    const r = m.apply(
      tf.tensor2d([padded], [1, NUM_STEPS], 'int32'),
      tf.tensor1d([validLen], 'int32'),
      tf.tensor2d([decIds], [1, decIds.length], 'int32'),
      { training: false },
    );
    out = {
      encoderSelf: toGrid(r.encoderWeights, (_q, k) => k < validLen),
      decoderSelf: toGrid(r.decoderSelfWeights, (q, k) => k <= q),
      encoderDecoder: toGrid(r.crossWeights, (_q, k) => k < validLen),
    };
  });
  if (!out) throw new Error('teacher-forced pass produced nothing');
  return {
    sourceTokens: srcV.decode(padded),
    sourceValidLen: validLen,
    targetInputTokens: tgtV.decode(decIds),
    outputTokens: [...tgtTokens, '<eos>'],
    encoderSelf: out.encoderSelf,
    decoderSelf: out.decoderSelf,
    encoderDecoder: out.encoderDecoder,
  };
}

/** Sharpens every row (w^p, renormalised): how attention focuses as training goes on. */
function sharpen(maps: AttentionMaps, p: number): AttentionMaps {
  const grid = (g: AttentionGrid): AttentionGrid =>
    g.map((layer) =>
      layer.map((head) =>
        head.map((row) => {
          const powered = row.map((w) => (w === null ? null : Math.pow(w, p)));
          const sum = powered.reduce<number>((a, b) => a + (b ?? 0), 0) || 1;
          return powered.map((w) => (w === null ? null : w / sum));
        }),
      ),
    );
  return {
    ...maps,
    encoderSelf: grid(maps.encoderSelf),
    decoderSelf: grid(maps.decoderSelf),
    encoderDecoder: grid(maps.encoderDecoder),
  };
}

export async function makeFixtures(): Promise<Fixtures> {
  await selectBackend('cpu');
  const srcV = vocab(SRC_WORDS);
  const tgtV = vocab(TGT_WORDS);
  const m2 = model(2, 7, srcV, tgtV);
  const m4 = model(4, 11, srcV, tgtV);
  try {
    const g1 = greedyTranslate(m2, srcV, tgtV, "I'm home.", { numSteps: NUM_STEPS });
    const g2 = greedyTranslate(m2, srcV, tgtV, 'I lost my keys.', { numSteps: NUM_STEPS });
    const g3 = greedyTranslate(m2, srcV, tgtV, 'Go.', { numSteps: NUM_STEPS });
    const g4 = greedyTranslate(m4, srcV, tgtV, "He's calm.", { numSteps: NUM_STEPS });
    const g5 = greedyTranslate(m4, srcV, tgtV, "I'm home.", { numSteps: NUM_STEPS });
    const b5 = beamTranslate(m2, srcV, tgtV, "He's calm.", { numSteps: NUM_STEPS, beamSize: 3 });
    // Sentences as a trained model would give them; attention from the random model.
    const items: TranslationItem[] = [
      {
        id: 1,
        source: "I'm home.",
        translation: 'je suis chez moi .',
        reference: 'je suis chez moi .',
        bleu: 1,
        unknownTokens: g1.unknownTokens,
        attention: g1.attention,
      },
      {
        id: 2,
        source: 'I lost my keys.',
        translation: "j'ai perdu <unk> .",
        unknownTokens: g2.unknownTokens,
        attention: g2.attention,
      },
      {
        id: 3,
        source: 'Go.',
        translation: 'va !',
        reference: 'va !',
        bleu: 1,
        unknownTokens: g3.unknownTokens,
        attention: g3.attention,
      },
      {
        id: 4,
        source: "He's calm.",
        translation: 'il est calme .',
        reference: 'il est calme .',
        bleu: 1,
        unknownTokens: b5.unknownTokens,
        attention: b5.attention,
        decoding: 'beam search (beam 3, α = 0.75)',
        candidates: [
          { translation: 'il est calme .', logProb: -0.412, score: -0.146, bleu: 1 },
          { translation: 'il est <unk> .', logProb: -1.873, score: -0.662, bleu: 0.658 },
          { translation: 'il est calme !', logProb: -2.305, score: -0.815, bleu: 0.775 },
        ],
      },
    ];
    const probe = teacherForced(m2, srcV, tgtV, 'i lost .', "j'ai perdu .");
    const snapshots: AttentionSnapshot[] = [1, 10, 20, 30, 40, 50].map((epoch) => ({
      epoch,
      maps: sharpen(probe, 1 + epoch / 6),
    }));
    const probe4 = teacherForced(m4, srcV, tgtV, "he's calm .", 'il est calme .');

    const hp = { ...DEFAULT_HYPERPARAMETERS, numEpochs: NUM_EPOCHS };
    const backend = {
      name: 'wasm',
      label: 'WebAssembly (SIMD)',
      reason: 'gpu unavailable: @tensorflow/tfjs-node-gpu is not installed',
    };
    const epochs: EpochPoint[] = Array.from({ length: NUM_EPOCHS }, (_, i) => {
      const epoch = i + 1;
      const noise = 0.04 * Math.sin(epoch * 1.7);
      return {
        epoch,
        numEpochs: NUM_EPOCHS,
        lossPerToken: 0.08 + 4.2 * Math.exp(-epoch / 9) + noise * Math.exp(-epoch / 30),
        tokensPerSecond: 21000 + 800 * Math.sin(epoch),
        elapsedSeconds: epoch * 1.9,
        steps: epoch * 10,
      };
    });
    const last = epochs[epochs.length - 1];
    const base = {
      type: 'trainingState' as const,
      hyperparameters: hp,
      backend,
      heldOut: null,
      summary: null,
    };
    return {
      trainingStart: {
        ...base,
        status: 'training',
        statusText: 'Training on 600 pairs (10 batches per epoch)',
        points: [],
        seeds: [],
      },
      epochs,
      trainingDone: {
        ...base,
        status: 'finished',
        statusText: `Finished ${NUM_EPOCHS} epochs; checkpoint saved`,
        points: epochs,
        seeds: [
          { source: 'go .', reference: 'va !', translation: 'va !', bleu: 1, unknownTokens: [] },
          {
            source: 'i lost .',
            reference: "j'ai perdu .",
            translation: "j'ai perdu .",
            bleu: 1,
            unknownTokens: [],
          },
          {
            source: "he's calm .",
            reference: 'il est calme .',
            translation: 'il est <unk> .',
            bleu: 0.658,
            unknownTokens: [],
          },
          {
            source: "i'm home .",
            reference: 'je suis chez moi .',
            translation: 'je suis chez moi .',
            bleu: 1,
            unknownTokens: [],
          },
        ],
        heldOut: { count: 200, meanBleu2: 0.412, corpusBleu4: 0.187 },
        summary: {
          epochsCompleted: NUM_EPOCHS,
          lossPerToken: last.lossPerToken,
          tokensPerSecond: last.tokensPerSecond,
          seconds: last.elapsedSeconds,
          cancelled: false,
        },
      },
      translations: { type: 'translations', items },
      attention: { type: 'attentionData', current: items[0], snapshots },
      attention4: {
        type: 'attentionData',
        current: {
          id: 9,
          source: "He's calm.",
          translation: g4.translation,
          unknownTokens: g4.unknownTokens,
          attention: g4.attention,
        },
        snapshots: [{ epoch: 5, maps: probe4 }],
      },
      ...runsFixtures(items[0], {
        id: 10,
        source: "I'm home.",
        translation: 'je suis chez moi .',
        unknownTokens: g5.unknownTokens,
        attention: g5.attention,
      }),
    };
  } finally {
    m2.dispose();
    m4.dispose();
  }
}
