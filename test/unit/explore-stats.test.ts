/**
 * The plain-data side of src/explore: per-head statistics and labels, attention rollout, the
 * token diff of a masked re-translation (hand-computed expectations).
 */
import { strict as assert } from 'node:assert';
import { AttentionMaps } from '../../src/decode/attentionMaps';
import {
  BROAD_ENTROPY,
  averageHeadStats,
  headLabel,
  headLabels,
  headStatsOf,
} from '../../src/explore/headStats';
import { encoderRollout } from '../../src/explore/rollout';
import { tokenDiff } from '../../src/explore/maskedTranslate';
import { allHeadsOn } from '../../src/model/headMask';

const close = (a: number, b: number, msg?: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} vs ${b}`);

/** Head 0: all weight on the previous key (the first row on itself); head 1: uniform. */
function mapsOf(): AttentionMaps {
  const src = ['go', '.', '<eos>', '<pad>'];
  const prev: (number | null)[][] = [
    [1, 0, 0, null],
    [1, 0, 0, null],
    [0, 1, 0, null],
    [0, 1, 0, null], // a padding query: never counted
  ];
  const uniform: (number | null)[][] = prev.map(() => [1 / 3, 1 / 3, 1 / 3, null]);
  const dec: (number | null)[][] = [
    [1, null],
    [0.25, 0.75],
  ];
  const cross: (number | null)[][] = [
    [0, 0, 1, null],
    [0, 0, 1, null],
  ];
  return {
    sourceTokens: src,
    sourceValidLen: 3,
    targetInputTokens: ['<bos>', 'va'],
    outputTokens: ['va', '<eos>'],
    encoderSelf: [[prev, uniform]],
    decoderSelf: [[dec, dec]],
    encoderDecoder: [[cross, cross]],
  };
}

describe('explore: per-head statistics', () => {
  it('measures shares and entropy over the real query rows only', () => {
    const t = headStatsOf(mapsOf());
    const p = t.encoderSelf[0][0];
    assert.equal(p.rows, 3);
    close(p.previous, 2 / 3); // rows 1 and 2 look back; row 0 looks at itself
    close(p.same, 1 / 3);
    close(p.next, 0);
    close(p.entropy, 0);
    close(p.punctuation, 1 / 3); // row 2's weight on '.'
    const u = t.encoderSelf[0][1];
    close(u.entropy, Math.log(3));
    close(u.normalizedEntropy, 1);
    close(u.eos, 1 / 3);
    const d = t.decoderSelf[0][0];
    close(d.bos, (1 + 0.25) / 2);
    // Row 0 sees one key: normalised entropy 0; row 1: H(0.25, 0.75) / log 2.
    const h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    close(d.normalizedEntropy, h / Math.log(2) / 2);
    close(t.encoderDecoder[0][1].eos, 1);
  });

  it('labels the head where one statistic dominates, and no other', () => {
    const labels = headLabels(headStatsOf(mapsOf()));
    assert.equal(labels.encoderSelf[0][0], 'previous token');
    assert.equal(labels.encoderSelf[0][1], 'broad');
    assert.equal(labels.decoderSelf[0][0], 'same token'); // 0.875 on itself, 0.625 on <bos>
    assert.equal(labels.encoderDecoder[0][0], 'to <eos>');
    const mixed = { ...headStatsOf(mapsOf()).encoderSelf[0][1], eos: 0.4 };
    assert.equal(
      headLabel({ ...mixed, normalizedEntropy: BROAD_ENTROPY - 0.01 }, 'encoderSelf'),
      null,
    );
    // Positions are not aligned across encoder-decoder attention: no positional label there.
    const diagonal = { ...mixed, eos: 0, same: 0.9, normalizedEntropy: 0 };
    assert.equal(headLabel(diagonal, 'encoderDecoder'), null);
    assert.equal(headLabel(diagonal, 'decoderSelf'), 'same token');
    assert.equal(headLabel({ ...diagonal, bos: 0.95 }, 'decoderSelf'), 'to <bos>');
  });

  it('averages over sentences row by row', () => {
    const one = mapsOf();
    const other = { ...mapsOf(), sourceValidLen: 1 }; // only row 0 (on itself)
    const avg = averageHeadStats([one, other]).encoderSelf[0][0];
    assert.equal(avg.rows, 4);
    close(avg.previous, 2 / 4);
    close(avg.same, 2 / 4);
  });
});

describe('explore: attention rollout', () => {
  it('is 0.5 W + 0.5 I, heads averaged, multiplied over layers; rows sum to 1', () => {
    const maps = mapsOf();
    maps.encoderSelf = [maps.encoderSelf[0], maps.encoderSelf[0]];
    const r = encoderRollout(maps);
    assert.deepEqual(r.tokens, ['go', '.', '<eos>']);
    // Layer 0 by hand: W = (prev + uniform) / 2 on the 3 real positions.
    const W = [
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
    ].map((row) => row.map((v) => (v + 1 / 3) / 2));
    const A = W.map((row, i) => row.map((v, j) => 0.5 * v + (i === j ? 0.5 : 0)));
    r.layers[0].forEach((row, i) => row.forEach((v, j) => close(v, A[i][j], `A ${i} ${j}`)));
    const AA = A.map((row) => A[0].map((_, j) => row.reduce((s, v, k) => s + v * A[k][j], 0)));
    r.layers[1].forEach((row, i) => row.forEach((v, j) => close(v, AA[i][j], `AA ${i} ${j}`)));
    for (const layer of r.layers)
      for (const row of layer)
        close(
          row.reduce((a, b) => a + b),
          1,
        );
  });

  it('averages only the heads that are on; a layer with none on is the identity', () => {
    const mask = allHeadsOn({ numLayers: 1, numHeads: 2 });
    mask.encoderSelf[0] = [0, 1];
    const uniformOnly = encoderRollout(mapsOf(), mask).layers[0];
    close(uniformOnly[0][0], 0.5 / 3 + 0.5);
    close(uniformOnly[0][1], 0.5 / 3);
    mask.encoderSelf[0] = [0, 0];
    assert.deepEqual(encoderRollout(mapsOf(), mask).layers[0], [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
});

describe('explore: token diff', () => {
  it('keeps the common tokens and marks the rest removed or added', () => {
    assert.deepEqual(tokenDiff(['je', 'suis', 'calme', '.'], ['je', 'suis', 'chez', 'moi', '.']), [
      { op: 'same', token: 'je' },
      { op: 'same', token: 'suis' },
      { op: 'removed', token: 'calme' },
      { op: 'added', token: 'chez' },
      { op: 'added', token: 'moi' },
      { op: 'same', token: '.' },
    ]);
    assert.deepEqual(tokenDiff([], ['va']), [{ op: 'added', token: 'va' }]);
    assert.deepEqual(tokenDiff(['va'], []), [{ op: 'removed', token: 'va' }]);
  });
});
