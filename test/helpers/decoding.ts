/**
 * What the decoding tests (greedy.test.ts, beam.test.ts) check of every translation, and how
 * they steer a tiny model to a known number of decoding steps.
 */
import { strict as assert } from 'node:assert';
import { AttentionGrid, gridShape } from '../../src/decode/attentionMaps';
import type { Translation } from '../../src/decode/greedy';
import type { Vocab } from '../../src/data/vocab';
import { tf } from '../../src/model/tf';
import type { Transformer } from '../../src/model/transformer';

/**
 * Runs `fn` with `delta` added to the output bias of `<eos>` (large negative: it never wins, large
 * positive: it wins at once), then puts the original bias back.
 */
export function withEosBias<T>(model: Transformer, tgtVocab: Vocab, delta: number, fn: () => T): T {
  const bias = model.params.get('decoder.dense.bias');
  const original = Float32Array.from(bias.dataSync() as Float32Array);
  const shifted = Float32Array.from(original);
  shifted[tgtVocab.eos] += delta;
  tf.tidy(() => bias.assign(tf.tensor1d(shifted)));
  try {
    return fn();
  } finally {
    tf.tidy(() => bias.assign(tf.tensor1d(original)));
  }
}

function sum(row: (number | null)[]): number {
  return row.reduce<number>((a, b) => a + (b ?? 0), 0);
}

/**
 * Checks one grid: its shape, that an entry is null exactly where `masked(query, key)`, and that
 * the weights left in each row sum to 1.
 */
export function checkGrid(
  grid: AttentionGrid,
  shape: [number, number, number, number],
  masked: (q: number, k: number) => boolean,
  what: string,
): void {
  assert.deepEqual(gridShape(grid), shape, `${what} shape`);
  grid.forEach((layer, l) => {
    assert.equal(layer.length, shape[1], `${what} layer ${l} heads`);
    layer.forEach((head) => {
      assert.equal(head.length, shape[2], `${what} queries`);
      head.forEach((row, q) => {
        assert.equal(row.length, shape[3], `${what} keys of query ${q}`);
        row.forEach((w, k) => {
          if (masked(q, k)) assert.equal(w, null, `${what} [${l}] q ${q} k ${k} should be masked`);
          else assert.ok(typeof w === 'number' && w > 0, `${what} [${l}] q ${q} k ${k}: ${w}`);
        });
        assert.ok(Math.abs(sum(row) - 1) < 1e-5, `${what} row ${q} sums to ${sum(row)}`);
      });
    });
  });
}

/** Everything a Translation promises about its attention maps and tokens, for a model of
 * `layers` × `heads` decoding at most `numSteps` steps. */
export function checkTranslation(
  t: Translation,
  { layers, heads, numSteps }: { layers: number; heads: number; numSteps: number },
): void {
  const a = t.attention;
  const L = a.outputTokens.length;
  assert.ok(L >= 1 && L <= numSteps, `${L} steps`);
  assert.equal(a.sourceTokens.length, numSteps);
  assert.equal(a.targetInputTokens.length, L);
  assert.equal(a.targetInputTokens[0], '<bos>');
  for (let i = 1; i < L; i++) assert.equal(a.targetInputTokens[i], a.outputTokens[i - 1]);
  // Decoding stops at the first <eos> or after numSteps steps.
  assert.ok(a.outputTokens.slice(0, -1).every((tok) => tok !== '<eos>'));
  if (L < numSteps) assert.equal(a.outputTokens[L - 1], '<eos>');
  assert.deepEqual(
    t.tokens,
    a.outputTokens.filter((tok) => tok !== '<eos>'),
  );
  assert.equal(t.translation, t.tokens.join(' '));
  const v = a.sourceValidLen;
  checkGrid(a.encoderSelf, [layers, heads, numSteps, numSteps], (_q, k) => k >= v, 'encoder');
  checkGrid(a.decoderSelf, [layers, heads, L, L], (q, k) => k > q, 'decoder self');
  checkGrid(a.encoderDecoder, [layers, heads, L, numSteps], (_q, k) => k >= v, 'cross');
}
