import { ModelConfig } from '../model/config';
import { fail } from './errors';
import { parameterLayout } from './layout';
import { ModelMeta } from './modelMeta';
import { NamedTensor, RawModelFile, RawTensor } from './modelFile';

/**
 * A model read from a .pt or .safetensors file, checked against our Transformer: every size
 * comes from the shapes (layers, hidden size, FFN size, vocabularies, attention function) or the
 * meta keys (heads, steps), and `params` lists every parameter in our order.
 */
export interface ImportedModel {
  config: ModelConfig;
  numSteps: number;
  srcVocab: string[];
  tgtVocab: string[];
  params: NamedTensor[];
}

const MAX_PROBLEMS = 5;

export function mapStateDict(raw: RawModelFile): ImportedModel {
  const t = raw.tensors;
  const source = matrix(t, 'encoder.embedding.weight');
  const target = matrix(t, 'decoder.embedding.weight');
  const [srcVocabSize, numHiddens] = source.shape;
  if (numHiddens % 2) {
    fail(
      `encoder.embedding.weight [${source.shape}]: the hidden size must be even (positional encoding)`,
    );
  }
  const numLayers = blockCount(t, 'encoder');
  const decoderLayers = blockCount(t, 'decoder');
  if (decoderLayers !== numLayers) {
    fail(
      `the encoder has ${numLayers} blocks and the decoder ${decoderLayers}; they must be equal`,
    );
  }
  const additive = t.has('encoder.blks.block0.attention.attention.W_k.weight');
  const config: ModelConfig = {
    numHiddens,
    numLayers,
    numHeads: headCount(raw.meta, t, numHiddens, additive),
    ffnNumHiddens: matrix(t, 'encoder.blks.block0.ffn.dense1.weight').shape[0],
    dropout: raw.meta.dropout,
    srcVocabSize,
    tgtVocabSize: target.shape[0],
    attentionFunction: additive ? 'additive' : 'dotProduct',
  };
  checkVocab('src_vocab', raw.meta.srcVocab, 'encoder.embedding.weight', source);
  checkVocab('tgt_vocab', raw.meta.tgtVocab, 'decoder.embedding.weight', target);
  const params = ordered(config, t);
  const { srcVocab, tgtVocab, numSteps } = raw.meta;
  return { config, numSteps, srcVocab, tgtVocab, params };
}

function matrix(t: Map<string, RawTensor>, name: string): RawTensor {
  const m = t.get(name);
  if (!m) fail(`tensor ${name} is missing: this is not the book's Transformer state_dict`);
  if (m.shape.length !== 2) fail(`tensor ${name} has shape [${m.shape}], expected 2 dimensions`);
  return m;
}

/** Blocks are numbered 0..n−1 (`encoder.blks.block0.…`), as the book's nn.Sequential names them. */
function blockCount(t: Map<string, RawTensor>, coder: 'encoder' | 'decoder'): number {
  const pattern = new RegExp(`^${coder}\\.blks\\.block(0|[1-9][0-9]{0,5})\\.`);
  const seen = new Set<number>();
  for (const name of t.keys()) {
    const m = pattern.exec(name);
    if (m) seen.add(Number(m[1]));
  }
  const numbers = [...seen].sort((a, b) => a - b);
  if (!numbers.length) fail(`the state_dict has no ${coder} blocks (${coder}.blks.block0.…)`);
  if (numbers[numbers.length - 1] !== numbers.length - 1) {
    fail(`the ${coder} blocks are numbered ${numbers.slice(0, 10).join(', ')}: some are missing`);
  }
  return numbers.length;
}

/**
 * Dot-product attention has no per-head weights, so num_heads comes from the meta keys; inside
 * additive attention W_k is (d, d) with d = numHiddens / numHeads, which must agree.
 */
function headCount(
  meta: ModelMeta,
  t: Map<string, RawTensor>,
  numHiddens: number,
  additive: boolean,
): number {
  if (additive) {
    const name = 'encoder.blks.block0.attention.attention.W_k.weight';
    const d = matrix(t, name).shape[1];
    const fromShape = d > 0 && numHiddens % d === 0 ? numHiddens / d : NaN;
    if (!Number.isInteger(fromShape))
      fail(`${name} [${t.get(name)!.shape}] does not divide the hidden size ${numHiddens}`);
    if (meta.numHeads !== undefined && meta.numHeads !== fromShape) {
      fail(
        `num_heads is ${meta.numHeads}, but ${name} [${t.get(name)!.shape}] means ` +
          `${numHiddens} / ${d} = ${fromShape} heads`,
      );
    }
    return fromShape;
  }
  if (meta.numHeads === undefined) {
    fail('num_heads is missing (the weights of dot-product attention do not tell the head count)');
  }
  if (numHiddens % meta.numHeads !== 0) {
    fail(
      `num_heads (${meta.numHeads}) does not divide the hidden size ${numHiddens} (encoder.embedding.weight)`,
    );
  }
  return meta.numHeads;
}

function checkVocab(key: string, vocab: string[], name: string, embedding: RawTensor): void {
  if (vocab.length !== embedding.shape[0]) {
    fail(
      `${key} has ${vocab.length} tokens, but ${name} [${embedding.shape}] has ${embedding.shape[0]} rows`,
    );
  }
}

/** Every expected tensor present with its shape, none unknown, all finite; in our order. */
function ordered(config: ModelConfig, t: Map<string, RawTensor>): NamedTensor[] {
  const layout = parameterLayout(config);
  const problems: string[] = [];
  const expected = new Set<string>();
  const params: NamedTensor[] = [];
  for (const { name, shape } of layout) {
    expected.add(name);
    const found = t.get(name);
    if (!found) problems.push(`${name} is missing`);
    else if (found.shape.join(',') !== shape.join(',')) {
      problems.push(`${name} has shape [${found.shape}], expected [${shape}]`);
    } else params.push({ name, shape, data: found.data });
  }
  for (const name of t.keys()) {
    if (!expected.has(name)) problems.push(`${name} is not a parameter of this model`);
  }
  if (problems.length) {
    const more =
      problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
    fail(
      `the tensors do not fit ${describeConfig(config)}: ` +
        problems.slice(0, MAX_PROBLEMS).join('; ') +
        more,
    );
  }
  for (const p of params) checkFinite(p);
  return params;
}

/** A NaN or infinite weight would only show up later as garbage translations. */
function checkFinite(p: NamedTensor): void {
  const data = p.data;
  // A plain loop: findIndex with a callback took 500 ms for 15M values, this 60 ms.
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail(`tensor ${p.name} holds ${data[i]} at index ${i}`);
  }
}

/** "a Transformer of 2 layers, 16 hidden, 2 heads, FFN 24, dot-product attention". */
export function describeConfig(c: ModelConfig): string {
  const attention = c.attentionFunction === 'additive' ? 'additive' : 'dot-product';
  return (
    `a Transformer of ${c.numLayers} layers, ${c.numHiddens} hidden, ${c.numHeads} heads, ` +
    `FFN ${c.ffnNumHiddens}, ${attention} attention (as the shapes of block 0 tell)`
  );
}
