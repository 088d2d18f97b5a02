import * as assert from 'node:assert/strict';
import { preprocessNmt } from '../../src/data/preprocess';
import { MB, heapUsedAfterGc } from '../helpers/heap';

describe('preprocessNmt', () => {
  it('lower-cases and spaces punctuation that follows a non-space', () => {
    assert.equal(preprocessNmt('Go.\tVa !'), 'go .\tva !');
    assert.equal(preprocessNmt('Who?\tQui ?'), 'who ?\tqui ?');
    assert.equal(preprocessNmt('Yes, sir.'), 'yes , sir .');
  });

  it('replaces U+202F and U+00A0 by a space before looking at the punctuation', () => {
    assert.equal(preprocessNmt('Run!\tCours\u202f!'), 'run !\tcours !');
    assert.equal(preprocessNmt('Wait!\u00a0Yes?'), 'wait ! yes ?');
  });

  it('leaves index 0 and punctuation after a space alone', () => {
    assert.equal(preprocessNmt('.Hi'), '.hi');
    assert.equal(preprocessNmt('A ,b'), 'a ,b');
  });

  it('looks at the original previous character, so runs of marks are all spaced', () => {
    // "..." → '.', ' .', ' .' (each previous character is '.', not a space).
    assert.equal(preprocessNmt('...'), '. . .');
    assert.equal(preprocessNmt('Hm?!'), 'hm ? !');
  });

  it('treats a newline as a non-space', () => {
    assert.equal(preprocessNmt('a\tb\n.c'), 'a\tb\n .c');
  });

  it('lower-cases non-ASCII letters', () => {
    assert.equal(preprocessNmt('ÇA ALORS!'), 'ça alors !');
  });

  it('leaves other characters untouched', () => {
    assert.equal(preprocessNmt("j'ai 3 chats\u2009;"), "j'ai 3 chats\u2009;");
    assert.equal(preprocessNmt(''), '');
  });

  it('keeps no reference to its input or its own steps once it returns', () => {
    // V8 keeps the subject of the last regular expression run (RegExp.input): here that was the
    // whole lower-cased corpus (22 MB on fra.txt), alive until the next regular expression.
    const before = heapUsedAfterGc();
    const outLength = (() => preprocessNmt('Go.\tVa !\n'.repeat(2_000_000)).length)(); // 18 MB in
    assert.equal(outLength, 20_000_000);
    const growth = (heapUsedAfterGc() - before) / MB;
    assert.ok(growth < 4, `${growth.toFixed(1)} MB still reachable`);
  });
});
