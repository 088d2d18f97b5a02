/**
 * `npm run bench -- --explore` clicks different heads off (scripts/bench/exploreWorker.ts): every
 * head of the translation's maps, one at a time over the first round, then more, never twice.
 */
import { strict as assert } from 'node:assert';
import { headsOf, offForClick } from '../../scripts/bench/exploreWorker';
import { maskedRequest } from '../../src/host/workerClient';
import type { ModelTarget, TranslationItem } from '../../src/shared/protocol';

/** `layers` × `heads` maps of each kind (the weights do not matter here). */
function item(layers: number, heads: number): TranslationItem {
  const grid = () => Array.from({ length: layers }, () => Array.from({ length: heads }, () => []));
  return {
    id: 1,
    source: 'go .',
    translation: 'va !',
    unknownTokens: [],
    attention: { encoderSelf: grid(), decoderSelf: grid(), encoderDecoder: grid() },
  } as unknown as TranslationItem;
}

describe('bench --explore: the heads each click switches off', () => {
  it('lists every head of every kind, layer by layer', () => {
    const heads = headsOf(item(2, 4));
    assert.equal(heads.length, 24);
    assert.deepEqual(heads[0], { kind: 'encoderSelf', layer: 0, head: 0 });
    assert.deepEqual(heads[23], { kind: 'encoderDecoder', layer: 1, head: 3 });
  });

  it('one head off for each of the first 24 clicks, all different; then two distinct heads', () => {
    const heads = headsOf(item(2, 4));
    const first = Array.from({ length: 24 }, (_, i) => offForClick(heads, i));
    assert.ok(first.every((off) => off.length === 1));
    assert.equal(new Set(first.map((off) => JSON.stringify(off[0]))).size, 24);
    for (let i = 24; i < 60; i++) {
      const off = offForClick(heads, i);
      assert.equal(off.length, i < 48 ? 2 : 3, `click ${i}`);
      assert.equal(new Set(off.map((r) => JSON.stringify(r))).size, off.length, `click ${i}`);
    }
  });

  it('never more heads off than the model has', () => {
    const heads = headsOf(item(1, 1));
    assert.equal(offForClick(heads, 50).length, 3);
  });

  it("sends the Translations service's request: the item's sentence, reference and tokens", () => {
    const target: ModelTarget = {
      checkpointDir: '/m',
      positionMode: 'correct',
      backend: 'wasm',
      wasmDir: '/d',
      gpuModulePaths: [],
    };
    const it1 = { ...item(1, 1), reference: 'va !', translation: ' va  ! ' };
    const off = headsOf(it1).slice(0, 1);
    assert.deepEqual(maskedRequest(target, it1, off, 3), {
      type: 'maskedTranslate',
      ...target,
      sentence: 'go .',
      reference: 'va !',
      original: ['va', '!'],
      off,
      beamSize: 3,
    });
  });
});
