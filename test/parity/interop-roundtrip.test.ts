/**
 * The round trip with the book's PyTorch code (test/reference/interop_roundtrip.py wrote
 * test/fixtures/interop/roundtrip.json and book-trained.pt):
 * - PyTorch loaded our exports (torch.load, the book's strict load_state_dict) and ran the
 *   book's forward pass (dropout off) on the parity sentences: our model gives the same attention weights and
 *   logits within 1e-5, and its export is byte for byte the file PyTorch loaded;
 * - a model the book's code trained, opened as Open Model… opens it, translates as PyTorch did.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { modelConfigOf } from '../../src/config/modelConfig';
import { commitCheckpoint } from '../../src/checkpoint/commit';
import { greedyTranslate } from '../../src/decode/greedy';
import { exportPt, readModelFile } from '../../src/interop';
import { checkpointOfImported } from '../../src/interop/checkpointModel';
import { PositionMode } from '../../src/model/config';
import { tf, Tensor } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { TensorJSON, assertClose, readFixture } from '../helpers/fixtures';
import { INTEROP_FIXTURES } from '../helpers/interopFixtures';
import { OUR_MODELS, ourModel } from '../helpers/interopRoundtrip';
import { describeOnEachBackend } from '../helpers/parityChecks';
import { intTensor } from '../helpers/parityModel';
import { TempDirs } from '../helpers/tempDir';

/** PyTorch's forward pass (dropout off) on a .pt: the parity batch and what came out. */
interface TorchForward {
  sha256: string;
  encX: TensorJSON;
  encValidLens: TensorJSON;
  decX: TensorJSON;
  encoderAttention: TensorJSON[];
  decoderSelfAttention: TensorJSON[];
  decoderEncDecAttention: TensorJSON[];
  logits: TensorJSON;
}

interface Roundtrip {
  spec: { num_steps: number };
  book: {
    sources: string[];
    translations: Record<PositionMode, string[]>;
    forward: TorchForward;
  };
  ourExports: Record<string, TorchForward>;
}

const fx = readFixture<Roundtrip>('interop/roundtrip.json');
const TOL = 1e-5;

/** `model` (dropout off) on PyTorch's batch: every layer's attention weights and the logits. */
function assertForwardAsTorch(model: Transformer, expected: TorchForward): void {
  tf.tidy(() => {
    const out = model.apply(
      intTensor(expected.encX),
      intTensor(expected.encValidLens),
      intTensor(expected.decX),
      { training: true }, // the causal decoder of training; dropout is 0
    );
    const layers = (weights: Tensor[], want: TensorJSON[], what: string) => {
      assert.equal(weights.length, want.length, `${what} layers`);
      weights.forEach((w, i) => {
        // Ours are (batch, heads, queries, keys); the book's (batch * heads, queries, keys).
        assert.deepEqual(
          [w.shape[0] * (w.shape[1] ?? 1), ...w.shape.slice(2)],
          want[i].shape,
          `${what} ${i}`,
        );
        assertClose(w.dataSync(), want[i], TOL, `${what} ${i}`);
      });
    };
    layers(out.encoderWeights, expected.encoderAttention, 'encoder attention');
    layers(out.decoderSelfWeights, expected.decoderSelfAttention, 'decoder self-attention');
    layers(out.crossWeights, expected.decoderEncDecAttention, 'enc-dec attention');
    assert.deepEqual(out.logits.shape, expected.logits.shape);
    assertClose(out.logits.dataSync(), expected.logits, TOL, 'logits');
  });
}

for (const name of Object.keys(OUR_MODELS)) {
  const expected = fx.ourExports[name];
  let exported: Buffer | undefined;
  describeOnEachBackend(
    (backend) => `PyTorch runs our export ${name}.pt as we do (${backend} backend)`,
    () => {
      const { model, exportable } = ourModel(name);
      exported = exportPt(exportable);
      return model;
    },
    (model) => {
      it('exports exactly the bytes PyTorch loaded', () => {
        const sha = createHash('sha256').update(exported!).digest('hex');
        assert.equal(sha, expected.sha256);
      });

      it('gives the attention weights of every layer and the logits PyTorch gave, within 1e-5', () =>
        assertForwardAsTorch(model(), expected));
    },
  );
}

describe("a model the book's PyTorch code trained, opened as a run", () => {
  const temp = new TempDirs();
  let model: Transformer | undefined;
  let vocabs: Awaited<ReturnType<typeof loadCheckpoint>> | undefined;
  before(async () => {
    const file = path.join(INTEROP_FIXTURES, 'book-trained.pt');
    const { contents, bytes } = checkpointOfImported(await readModelFile(file));
    const dir = path.join(temp.make(), 'checkpoint');
    await commitCheckpoint(dir, contents, bytes);
    vocabs = await loadCheckpoint(dir);
    model = vocabs.model;
  });
  after(() => {
    model?.dispose();
    temp.cleanup();
  });

  it('gives the attention weights and logits PyTorch gave for it, within 1e-5', () => {
    const { hyperparameters: h, manifest } = vocabs!;
    const exact = new Transformer(
      modelConfigOf({ ...h, dropout: 0 }, manifest.srcVocab.length, manifest.tgtVocab.length),
    );
    try {
      exact.params.load(
        Object.fromEntries(
          model!.params.entries().map(([n, v]) => [n, { shape: v.shape, data: v.dataSync() }]),
        ),
      );
      assertForwardAsTorch(exact, fx.book.forward);
    } finally {
      exact.dispose();
    }
  });

  for (const positionMode of ['book', 'correct'] as const) {
    it(`translates every sentence as PyTorch's predict_seq2seq did (positions: ${positionMode})`, () => {
      const ours = fx.book.sources.map(
        (source) =>
          greedyTranslate(model!, vocabs!.srcVocab, vocabs!.tgtVocab, source, {
            numSteps: fx.spec.num_steps,
            positionMode,
          }).translation,
      );
      assert.deepEqual(ours, fx.book.translations[positionMode]);
    });
  }
});
