import { ModelConfig } from '../model/config';

/**
 * The parameters of our Transformer (src/model) for a config: PyTorch's state_dict names, in
 * the order PyTorch registers them (which is also the order src/model creates them), with
 * PyTorch's shapes (Linear weights are (out, in)). A unit test checks this list against a
 * Transformer built by src/model, so the two cannot drift apart.
 */
export interface ParameterSpec {
  name: string;
  shape: number[];
}

export function parameterLayout(config: ModelConfig): ParameterSpec[] {
  const h = config.numHiddens;
  const out: ParameterSpec[] = [];
  const add = (name: string, ...shape: number[]) => out.push({ name, shape });
  const dense = (name: string, inputs: number, outputs: number, bias = true) => {
    add(`${name}.weight`, outputs, inputs);
    if (bias) add(`${name}.bias`, outputs);
  };
  const norm = (name: string) => {
    add(`${name}.ln.weight`, h);
    add(`${name}.ln.bias`, h);
  };
  const attention = (name: string) => {
    if (config.attentionFunction === 'additive') {
      const d = h / config.numHeads;
      dense(`${name}.attention.W_k`, d, d, false);
      dense(`${name}.attention.W_q`, d, d, false);
      dense(`${name}.attention.w_v`, d, 1, false);
    }
    for (const w of ['W_q', 'W_k', 'W_v', 'W_o']) dense(`${name}.${w}`, h, h, false);
  };
  const ffn = (name: string) => {
    dense(`${name}.dense1`, h, config.ffnNumHiddens);
    dense(`${name}.dense2`, config.ffnNumHiddens, h);
  };
  add('encoder.embedding.weight', config.srcVocabSize, h);
  for (let i = 0; i < config.numLayers; i++) {
    const b = `encoder.blks.block${i}`;
    attention(`${b}.attention`);
    norm(`${b}.addnorm1`);
    ffn(`${b}.ffn`);
    norm(`${b}.addnorm2`);
  }
  add('decoder.embedding.weight', config.tgtVocabSize, h);
  for (let i = 0; i < config.numLayers; i++) {
    const b = `decoder.blks.block${i}`;
    attention(`${b}.attention1`);
    norm(`${b}.addnorm1`);
    attention(`${b}.attention2`);
    norm(`${b}.addnorm2`);
    ffn(`${b}.ffn`);
    norm(`${b}.addnorm3`);
  }
  dense('decoder.dense', h, config.tgtVocabSize);
  return out;
}
