/**
 * Mapping a state_dict onto our Transformer: the parameter layout equals src/model's, every size
 * is inferred from the shapes, and every mismatch is a message naming the tensor and shapes.
 */
import { strict as assert } from 'node:assert';
import { ModelConfig } from '../../src/model/config';
import { Transformer } from '../../src/model/transformer';
import {
  ExportableModel,
  InteropError,
  exportPt,
  exportSafetensors,
  importPt,
  importSafetensors,
  parameterLayout,
} from '../../src/interop';
import { ModelMeta } from '../../src/interop/modelMeta';
import { RawTensor } from '../../src/interop/modelFile';
import { mapStateDict } from '../../src/interop/stateDict';
import { TINY_CONFIG, useCpuBackend } from '../helpers/tinyModel';
import { ISSUE_SIZE, fixtureBytes, syntheticModel } from '../helpers/interopFixtures';

const ADDITIVE: ModelConfig = {
  ...TINY_CONFIG,
  numLayers: 3,
  numHeads: 4,
  attentionFunction: 'additive',
};

/** mapStateDict over `model`'s tensors after `edit`; the InteropError's message. */
function mappingError(
  model: ExportableModel,
  edit: (t: Map<string, RawTensor>, meta: ModelMeta) => void,
): string {
  const tensors = new Map<string, RawTensor>(
    model.params.map((p) => [
      p.name,
      { shape: [...p.shape], data: p.data.slice(), dtype: 'float32' },
    ]),
  );
  const meta: ModelMeta = {
    srcVocab: [...model.srcVocab],
    tgtVocab: [...model.tgtVocab],
    numHeads: model.config.numHeads,
    numSteps: model.numSteps,
    dropout: 0.1,
  };
  edit(tensors, meta);
  try {
    mapStateDict({ tensors, meta });
  } catch (err) {
    assert.ok(err instanceof InteropError, String(err));
    return err.message;
  }
  return assert.fail('the edited state_dict was accepted');
}

describe('interop: the parameter layout', () => {
  before(useCpuBackend);

  for (const config of [
    TINY_CONFIG,
    ADDITIVE,
    { ...TINY_CONFIG, numLayers: 4, numHiddens: 32, numHeads: 8 },
  ]) {
    it(`equals src/model's parameters (${config.numLayers} layers, ${config.attentionFunction ?? 'dotProduct'})`, () => {
      const model = new Transformer(config);
      try {
        const ours = model.params.entries().map(([name, v]) => ({ name, shape: v.shape }));
        assert.deepEqual(parameterLayout(config), ours);
      } finally {
        model.dispose();
      }
    });
  }
});

describe('interop: inferring the model from the shapes', () => {
  it("infers every size of a model unlike the book's, through .pt and .safetensors", () => {
    const config = {
      ...ADDITIVE,
      numLayers: 5,
      ffnNumHiddens: 7,
      srcVocabSize: 9,
      tgtVocabSize: 30,
    };
    const model = syntheticModel(config, 17);
    for (const read of [
      importPt(exportPt(model)),
      (() => {
        const { safetensors, sidecar } = exportSafetensors(model);
        return importSafetensors(safetensors, sidecar);
      })(),
    ]) {
      assert.deepEqual(read.config, config);
      assert.equal(read.numSteps, 17);
      assert.deepEqual(read.params, model.params);
    }
  });

  it('reads a model of the size the issue names (4 layers, 256 hidden, 8 heads, 10,000 words)', function () {
    this.timeout(60_000);
    const config = ISSUE_SIZE;
    const model = syntheticModel(config);
    const started = Date.now();
    const bytes = exportPt(model);
    const written = Date.now();
    const read = importPt(bytes);
    console.log(
      `      ${(bytes.length / 1e6).toFixed(1)} MB .pt: written in ${written - started} ms, ` +
        `read in ${Date.now() - written} ms`,
    );
    assert.deepEqual(read.config, config);
    assert.deepEqual(read.srcVocab, model.srcVocab);
    // Byte comparison: deepEqual over 15M floats took seconds.
    read.params.forEach((p, i) => {
      assert.equal(p.name, model.params[i].name);
      assert.ok(
        Buffer.from(p.data.buffer).equals(Buffer.from(model.params[i].data.buffer)),
        p.name,
      );
    });
  });

  const tiny = () => syntheticModel(TINY_CONFIG);
  const cases: [string, () => string, RegExp][] = [
    [
      'a tensor with another shape',
      () =>
        mappingError(tiny(), (t) => {
          t.get('encoder.blks.block1.ffn.dense1.weight')!.shape = [15, 8];
        }),
      /encoder\.blks\.block1\.ffn\.dense1\.weight has shape \[15,8\], expected \[16,8\]/,
    ],
    [
      'a missing tensor',
      () => mappingError(tiny(), (t) => t.delete('decoder.blks.block1.addnorm3.ln.bias')),
      /decoder\.blks\.block1\.addnorm3\.ln\.bias is missing/,
    ],
    [
      'an unknown tensor',
      () =>
        mappingError(tiny(), (t) =>
          t.set('encoder.extra.weight', {
            shape: [1],
            data: new Float32Array(1),
            dtype: 'float32',
          }),
        ),
      /encoder\.extra\.weight is not a parameter of this model/,
    ],
    [
      'a vocabulary of another length than the embedding',
      () => mappingError(tiny(), (_, meta) => meta.tgtVocab.push('extra')),
      /tgt_vocab has 11 tokens, but decoder\.embedding\.weight \[10,8\] has 10 rows/,
    ],
    [
      'num_heads that does not divide the hidden size',
      () =>
        mappingError(tiny(), (_, meta) => {
          meta.numHeads = 3;
        }),
      /num_heads \(3\) does not divide the hidden size 8/,
    ],
    [
      'no num_heads with dot-product attention',
      () =>
        mappingError(tiny(), (_, meta) => {
          meta.numHeads = undefined;
        }),
      /num_heads is missing/,
    ],
    [
      'num_heads that contradicts the additive weights',
      () =>
        mappingError(syntheticModel(ADDITIVE), (_, meta) => {
          meta.numHeads = 2;
        }),
      /num_heads is 2, but encoder\.blks\.block0\.attention\.attention\.W_k\.weight \[2,2\] means 8 \/ 2 = 4 heads/,
    ],
    [
      'a gap in the block numbers',
      () =>
        mappingError(tiny(), (t) => {
          for (const name of [...t.keys()]) {
            if (name.startsWith('encoder.blks.block1.')) {
              t.set(name.replace('block1', 'block2'), t.get(name)!);
              t.delete(name);
            }
          }
        }),
      /the encoder blocks are numbered 0, 2: some are missing/,
    ],
    [
      'more decoder than encoder blocks',
      () =>
        mappingError(tiny(), (t) => {
          for (const name of [...t.keys()])
            if (name.startsWith('encoder.blks.block1.')) t.delete(name);
        }),
      /the encoder has 1 blocks and the decoder 2/,
    ],
    [
      'an odd hidden size',
      () =>
        mappingError(tiny(), (t) => {
          t.get('encoder.embedding.weight')!.shape = [12, 7];
        }),
      /hidden size must be even/,
    ],
    [
      'a NaN weight',
      () =>
        mappingError(tiny(), (t) => {
          t.get('decoder.dense.bias')!.data[3] = NaN;
        }),
      /tensor decoder\.dense\.bias holds NaN at index 3/,
    ],
  ];
  for (const [what, run, pattern] of cases) {
    it(`refuses ${what}, naming it`, () => assert.match(run(), pattern));
  }

  it('reads the committed fixture and maps it the same through both formats', () => {
    const pt = importPt(fixtureBytes('other-additive.pt'));
    const st = importSafetensors(
      fixtureBytes('other-additive.safetensors'),
      fixtureBytes('other-additive.json').toString('utf8'),
    );
    assert.deepEqual(st, pt);
  });
});
