import * as assert from 'node:assert/strict';
import { Vocab } from '../../src/data/vocab';
import { MB, heapUsedAfterGc } from '../helpers/heap';

const RESERVED = ['<pad>', '<bos>', '<eos>'];

describe('Vocab', () => {
  // Counts: b 2, a 2, c 2, d 1, e 1 (first occurrence order b, a, c, d, e).
  const tokens = [
    ['b', 'a', 'c'],
    ['a', 'b', 'd'],
    ['e', 'c'],
  ];

  it('puts <unk>, the reserved tokens, then frequent tokens (ties in first-occurrence order)', () => {
    const v = new Vocab(tokens, 2, RESERVED);
    assert.deepEqual(v.idxToToken, ['<unk>', '<pad>', '<bos>', '<eos>', 'b', 'a', 'c']);
    assert.equal(v.size, 7);
  });

  it('keeps every token for minFreq 0 or 1', () => {
    const all = ['<unk>', 'b', 'a', 'c', 'd', 'e'];
    assert.deepEqual(new Vocab(tokens).idxToToken, all);
    assert.deepEqual(new Vocab(tokens, 1).idxToToken, all);
  });

  it('sorts by frequency, most frequent first', () => {
    const v = new Vocab([
      ['x', 'y', 'y', 'z', 'z', 'z'],
      ['q', 'p'],
      ['p', 'q'],
    ]);
    // z 3; y, q, p 2 (first seen in that order); x 1.
    assert.deepEqual(v.idxToToken, ['<unk>', 'z', 'y', 'q', 'p', 'x']);
  });

  it('does not add a reserved token a second time', () => {
    const v = new Vocab([['<pad>', 'x', '<pad>', 'x', '<eos>']], 1, RESERVED);
    assert.deepEqual(v.idxToToken, ['<unk>', '<pad>', '<bos>', '<eos>', 'x']);
  });

  it('handles tokens that are object keys or numbers', () => {
    const v = new Vocab([['__proto__', '1', 'constructor', '1', '']]);
    assert.deepEqual(v.idxToToken, ['<unk>', '1', '__proto__', 'constructor', '']);
    assert.equal(v.indexOf('toString'), 0);
  });

  it('maps unknown tokens to 0 and encodes / decodes', () => {
    const v = new Vocab(tokens, 2, RESERVED);
    assert.equal(v.indexOf('zzz'), 0);
    assert.deepEqual(v.encode(['a', 'zzz', 'c']), [5, 0, 6]);
    assert.deepEqual(v.decode([5, 0, 6, 3]), ['a', '<unk>', 'c', '<eos>']);
    assert.deepEqual(v.decode(Int32Array.from([4])), ['b']);
    assert.throws(() => v.decode([7]), /index 7 outside 0\.\.6/);
  });

  it('exposes the special indices', () => {
    const v = new Vocab(tokens, 2, RESERVED);
    assert.deepEqual([v.unk, v.pad, v.bos, v.eos], [0, 1, 2, 3]);
  });

  it('throws clearly when a special token is missing', () => {
    const v = new Vocab(tokens);
    assert.throws(() => v.pad, /vocabulary has no <pad> token/);
    assert.throws(() => v.eos, /no <eos> token/);
  });

  it('round-trips through JSON', () => {
    const v = new Vocab(tokens, 2, RESERVED);
    const back = Vocab.fromJSON(JSON.parse(JSON.stringify(v)));
    assert.deepEqual(back.idxToToken, v.idxToToken);
    assert.equal(back.indexOf('c'), 6);
    assert.equal(back.eos, 3);
  });

  it('rejects malformed JSON', () => {
    assert.throws(() => Vocab.fromJSON(null), /expected an object/);
    assert.throws(() => Vocab.fromJSON(['<unk>']), /expected an object/);
    assert.throws(() => Vocab.fromJSON({}), /"idxToToken" must be an array/);
    assert.throws(() => Vocab.fromJSON({ idxToToken: ['<unk>', 3] }), /idxToToken\[1\] is not/);
    assert.throws(() => Vocab.fromJSON({ idxToToken: ['a'] }), /idxToToken\[0\] must be "<unk>"/);
    assert.throws(() => Vocab.fromJSON({ idxToToken: ['<unk>', 'a', 'a'] }), /duplicate token "a"/);
  });

  it('keeps its own copies of the tokens, not views into the text they were cut from', () => {
    const before = heapUsedAfterGc();
    const vocab = (() => {
      // 20 MB of text; its tokens of 13+ characters are, in V8, views of all of it.
      const text = 'anticonstitutionnellement ' + 'x '.repeat(10_000_000);
      return new Vocab([text.slice(0, 80).split(' ')], 1);
    })();
    assert.ok(vocab.indexOf('anticonstitutionnellement') > 0);
    const growth = (heapUsedAfterGc() - before) / MB;
    assert.ok(growth < 4, `${growth.toFixed(1)} MB reachable from a 3-token vocabulary`);
  });
});
