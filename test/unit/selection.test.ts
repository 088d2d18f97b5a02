import { strict as assert } from 'node:assert';
import { MAX_LINES, parseSelection } from '../../src/host/selection';

describe('parseSelection (Translate Selection input)', () => {
  it('takes one sentence per line and a TAB-separated reference', () => {
    const r = parseSelection("I'm home.\n\ngo .\tva !\n");
    assert.ok(r.ok);
    assert.deepEqual(r.sentences, [{ source: "I'm home." }, { source: 'go .', reference: 'va !' }]);
    assert.equal(r.skipped, 0);
  });

  it('refuses an empty or blank selection with a message', () => {
    for (const text of ['', '   \n\t\n']) {
      const r = parseSelection(text);
      assert.ok(!r.ok);
      assert.match(r.message, /Select some English text/);
    }
  });

  it('refuses a huge selection, naming the limit', () => {
    const r = parseSelection(Array.from({ length: MAX_LINES + 1 }, () => 'go .').join('\n'));
    assert.ok(!r.ok);
    assert.match(r.message, new RegExp(`${MAX_LINES + 1} lines.*at most ${MAX_LINES}`));
    const long = parseSelection('word '.repeat(300));
    assert.ok(!long.ok);
    assert.match(long.message, /1500 characters/);
  });

  it('skips lines without words and refuses a selection that has none', () => {
    const r = parseSelection('1234 + 5\ngo .');
    assert.ok(r.ok);
    assert.equal(r.sentences.length, 1);
    assert.equal(r.skipped, 1);
    const none = parseSelection('42\n!!!');
    assert.ok(!none.ok);
    assert.match(none.message, /no words/);
  });

  it('keeps accented words (Unicode letters count as words)', () => {
    const r = parseSelection('café .');
    assert.ok(r.ok);
  });
});
