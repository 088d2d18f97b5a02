/**
 * Realistic host → webview messages for the browser harness: attention maps come from a real
 * d2l Transformer with random weights (greedy decoding on the cpu backend, and a teacher-forced
 * pass for the training snapshots); sentences, losses and scores are made up to look like a run
 * (messages/: the training panel's, the translations' and Compare Runs').
 */
import { selectBackend } from '../../src/backend/backend';
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
  RunsStateMessage,
  TrainingStateMessage,
  TranslationsMessage,
} from '../../src/shared/protocol';
import { exploreMessages } from './messages/explore';
import { runsMessages } from './messages/runs';
import { trainingMessages } from './messages/training';
import { translationItems } from './messages/translations';

export { HISTORY_LIMIT, RUN_IDS } from './messages/runs';
export { NUM_EPOCHS } from './messages/training';

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
  /** The attention panel's explore answers for `attention.current` (messages/explore.ts). */
  explore: ReturnType<typeof exploreMessages>;
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
    const greedy = (m: Transformer, sentence: string) =>
      greedyTranslate(m, srcV, tgtV, sentence, { numSteps: NUM_STEPS });
    const g4 = greedy(m4, "He's calm.");
    const g5 = greedy(m4, "I'm home.");
    const b5 = beamTranslate(m2, srcV, tgtV, "He's calm.", { numSteps: NUM_STEPS, beamSize: 3 });
    // Sentences as a trained model would give them; attention from the random model.
    const items = translationItems(
      greedy(m2, "I'm home."),
      greedy(m2, 'I lost my keys.'),
      greedy(m2, 'Go.'),
      b5,
    );
    const probe = teacherForced(m2, srcV, tgtV, 'i lost .', "j'ai perdu .");
    const snapshots: AttentionSnapshot[] = [1, 10, 20, 30, 40, 50].map((epoch) => ({
      epoch,
      maps: sharpen(probe, 1 + epoch / 6),
    }));
    const probe4 = teacherForced(m4, srcV, tgtV, "he's calm .", 'il est calme .');
    return {
      ...trainingMessages(),
      translations: { type: 'translations', items },
      attention: { type: 'attentionData', current: items[0], snapshots },
      explore: exploreMessages(m2, srcV, tgtV, NUM_STEPS, items[0]),
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
      ...runsMessages(items[0], {
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
