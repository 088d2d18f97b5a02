/** `--mask kind:layer:head,...` (src/cli/maskSpec.ts): 1-based as typed, 0-based HeadRefs out. */
import { strict as assert } from 'node:assert';
import { UsageError } from '../../src/cli/args';
import { checkMaskFits, headSpec, parseMaskSpec } from '../../src/cli/maskSpec';

describe('--mask head spec', () => {
  it('reads every kind, 1-based, into 0-based refs, in order, each head once', () => {
    assert.deepEqual(parseMaskSpec('enc:1:2, cross:2:4,dec:3:1,enc:1:2'), [
      { kind: 'encoderSelf', layer: 0, head: 1 },
      { kind: 'encoderDecoder', layer: 1, head: 3 },
      { kind: 'decoderSelf', layer: 2, head: 0 },
    ]);
  });

  it('writes a ref back as it is typed', () => {
    for (const spec of ['enc:1:2', 'dec:2:1', 'cross:10:8']) {
      assert.equal(headSpec(parseMaskSpec(spec)[0]), spec);
    }
  });

  it('refuses what is not kind:layer:head with a UsageError naming the part', () => {
    const bad: [string, RegExp][] = [
      ['', /needs heads/],
      ['  ', /needs heads/],
      ['enc:1', /"enc:1" is not kind:layer:head/],
      ['enc:1:2:3', /"enc:1:2:3" is not kind:layer:head/],
      ['enc:1:2,', /"" is not kind:layer:head/],
      ['encoder:1:1', /kind "encoder" in "encoder:1:1" must be enc, dec or cross/],
      ['toString:1:1', /kind "toString"/],
      ['enc:0:1', /the layer in "enc:0:1" must be a whole number >= 1 \(got "0"\)/],
      ['enc:1:0', /the head in "enc:1:0"/],
      ['enc:1.5:1', /the layer in "enc:1.5:1"/],
      ['enc:-1:1', /the layer in "enc:-1:1"/],
      ['enc::1', /the layer in "enc::1"/],
      ['enc:1:x', /the head in "enc:1:x"/],
    ];
    for (const [spec, message] of bad) {
      assert.throws(
        () => parseMaskSpec(spec),
        (err: unknown) => err instanceof UsageError && message.test(err.message),
        spec,
      );
    }
  });

  it('checks the heads against the model, 1-based in the message', () => {
    const grid = { numLayers: 2, numHeads: 4 };
    checkMaskFits(parseMaskSpec('enc:2:4,cross:1:1'), grid);
    for (const spec of ['enc:3:1', 'dec:1:5']) {
      assert.throws(
        () => checkMaskFits(parseMaskSpec(spec), grid),
        (err: unknown) =>
          err instanceof UsageError &&
          err.message ===
            `--mask: ${spec} is not a head of this model (2 layers of 4 heads: layer 1-2, head 1-4)`,
      );
    }
  });
});
