/** The model and the batch that a parity fixture (test/reference/make_fixtures.py) describes. */
import { tf, Tensor } from '../../src/model/tf';
import { ModelConfig } from '../../src/model/config';
import { Transformer } from '../../src/model/transformer';
import type { BatchTensors } from '../../src/train/batch';
import { TensorJSON } from './fixtures';

export interface ModelFixture {
  /** The reference's config: numHiddens, numLayers, numHeads, ffnNumHiddens, dropout, srcVocab, tgtVocab. */
  config: Record<string, number | string>;
  params: Record<string, TensorJSON>;
  inputs: Record<keyof BatchTensors, TensorJSON>;
}

export function intTensor(t: TensorJSON): Tensor {
  return tf.tensor(Int32Array.from(t.data), t.shape, 'int32');
}

/** A Transformer of the fixture's configuration holding the fixture's PyTorch weights. */
export function modelFromFixture(
  fx: ModelFixture,
  overrides: Partial<ModelConfig> = {},
): Transformer {
  const n = (key: string) => Number(fx.config[key]);
  const model = new Transformer({
    numHiddens: n('numHiddens'),
    numLayers: n('numLayers'),
    numHeads: n('numHeads'),
    ffnNumHiddens: n('ffnNumHiddens'),
    dropout: n('dropout'),
    srcVocabSize: n('srcVocab'),
    tgtVocabSize: n('tgtVocab'),
    ...overrides,
  });
  model.params.load(fx.params);
  return model;
}

/** The fixture's batch as int32 tensors (the caller disposes them, or runs inside tf.tidy). */
export function fixtureInputs(fx: ModelFixture): BatchTensors {
  return {
    encX: intTensor(fx.inputs.encX),
    encValidLens: intTensor(fx.inputs.encValidLens),
    decX: intTensor(fx.inputs.decX),
    labels: intTensor(fx.inputs.labels),
    labelValidLens: intTensor(fx.inputs.labelValidLens),
  };
}
