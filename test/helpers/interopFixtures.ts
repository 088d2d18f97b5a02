/** The model-file fixtures of test/reference/make_interop_fixtures.py (test/fixtures/interop). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import {
  ExportableModel,
  exportPt,
  exportSafetensors,
  importPt,
  parameterLayout,
} from '../../src/interop';
import { ModelConfig } from '../../src/model/config';

export const INTEROP_FIXTURES = path.join(__dirname, '..', 'fixtures', 'interop');

/** The models the script builds: tiny-dot and other-additive (exported and checked by PyTorch). */
export const EXPORTED_MODELS = ['tiny-dot', 'other-additive'] as const;

export interface ExpectedModel {
  files: string[];
  config: Record<string, number | string>;
  numSteps: number;
  srcVocab: string[];
  tgtVocab: string[];
  /** [name, shape, digest] in state_dict order (see float32Digest). */
  params: [string, number[], string][];
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(path.join(INTEROP_FIXTURES, name));
}

export function expectedModels(): Record<string, ExpectedModel> {
  return JSON.parse(fixtureBytes('expected.json').toString('utf8'));
}

/** The first 16 hex digits of the SHA-256 of float32 values as little-endian bytes. */
export function float32Digest(data: Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Our exports of each fixture model (read from its .pt, written back as .pt, .safetensors and
 * the sidecar .json), by file name. Deterministic: the same bytes on every run, which
 * make_interop_fixtures.py checks with PyTorch and records in verified-exports.json.
 */
export function interopExports(dir = INTEROP_FIXTURES): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const key of EXPORTED_MODELS) {
    const model = importPt(readFileSync(path.join(dir, `${key}.pt`)));
    out.set(`${key}.pt`, exportPt(model));
    const { safetensors, sidecar } = exportSafetensors(model);
    out.set(`${key}.safetensors`, safetensors);
    out.set(`${key}.json`, Buffer.from(sidecar, 'utf8'));
  }
  return out;
}

/** The size the issue names: 4 layers, 256 hidden, 8 heads, FFN 1024, 10,000-word vocabularies. */
export const ISSUE_SIZE: ModelConfig = {
  numHiddens: 256,
  numLayers: 4,
  numHeads: 8,
  ffnNumHiddens: 1024,
  dropout: 0.1,
  srcVocabSize: 10_000,
  tgtVocabSize: 10_000,
  attentionFunction: 'dotProduct',
};

/** The reserved tokens, then `w0`, `w1`, … up to `size` tokens. */
export function syntheticVocab(size: number): string[] {
  const reserved = ['<unk>', '<pad>', '<bos>', '<eos>'];
  return [...reserved, ...Array.from({ length: size - 4 }, (_, i) => `w${i}`)];
}

/** A model of `config` whose values are a cheap deterministic pattern. */
export function syntheticModel(config: ModelConfig, numSteps = 10): ExportableModel {
  let k = 0;
  const params = parameterLayout(config).map(({ name, shape }) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = ((k++ % 1009) - 504) / 2048;
    return { name, shape, data };
  });
  const srcVocab = syntheticVocab(config.srcVocabSize);
  const tgtVocab = syntheticVocab(config.tgtVocabSize);
  return { config, numSteps, srcVocab, tgtVocab, params };
}
