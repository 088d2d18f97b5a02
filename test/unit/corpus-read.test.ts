import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { decodeCorpus, readCorpusFile, resolveCorpus } from '../../src/data/corpus';
import { TempDirs } from '../helpers/tempDir';

describe('corpus files', () => {
  const temp = new TempDirs();
  const text = 'Go.\tVa !\nHi.\tSalut !\n';
  let dir = '';

  beforeEach(() => {
    dir = temp.make('tae-read-');
  });
  afterEach(() => temp.cleanup());

  const write = (name: string, data: string | Uint8Array): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, data);
    return file;
  };

  it('reads a .txt file', () => {
    assert.equal(readCorpusFile(write('fra.txt', text)), text);
  });

  it('reads fra-eng/fra.txt from a .zip', () => {
    const zip = zipSync({ 'fra-eng/_about.txt': strToU8('x'), 'fra-eng/fra.txt': strToU8(text) });
    assert.equal(readCorpusFile(write('fra-eng.zip', zip)), text);
  });

  it('reads the single .txt entry of a .zip', () => {
    const zip = zipSync({ 'pairs.txt': strToU8(text), 'README.md': strToU8('readme') });
    assert.equal(readCorpusFile(write('pairs.zip', zip)), text);
  });

  it('rejects a .zip with several .txt entries and no fra.txt', () => {
    const zip = zipSync({ 'a.txt': strToU8(text), 'b.txt': strToU8(text) });
    assert.throws(() => readCorpusFile(write('ab.zip', zip)), /no single fra\.txt.*a\.txt, b\.txt/);
  });

  it('rejects a corrupt .zip', () => {
    assert.throws(() => readCorpusFile(write('bad.zip', 'not a zip at all')), /corrupt zip/);
  });

  it('rejects a missing file', () => {
    const file = path.join(dir, 'nope.txt');
    assert.throws(() => readCorpusFile(file), new RegExp(`corpus file not found: .*nope\\.txt`));
  });

  it('rejects an empty file', () => {
    assert.throws(() => readCorpusFile(write('empty.txt', '')), /corpus file is empty/);
    assert.throws(() => readCorpusFile(write('blank.txt', '\n\n')), /is empty/);
  });

  it('rejects a file without tab-separated pairs', () => {
    assert.throws(
      () => readCorpusFile(write('prose.txt', 'just some text\nno tabs here\n')),
      /no tab-separated sentence pairs/,
    );
    // The newer three-column Tatoeba format is not what the book's tokenizer expects.
    assert.throws(
      () => readCorpusFile(write('three.txt', 'Go.\tVa !\tCC-BY 2.0\n')),
      /no tab-separated sentence pairs/,
    );
  });

  it('rejects a directory', () => {
    assert.throws(() => readCorpusFile(dir), /not a file/);
  });

  it('decodes like Python text mode: universal newlines, BOM dropped, UTF-8 checked', () => {
    const crlf = strToU8('\ufeffGo.\tVa !\r\nHi.\tSalut !\r');
    assert.equal(decodeCorpus(crlf, 'x'), 'Go.\tVa !\nHi.\tSalut !\n');
    assert.throws(() => decodeCorpus(new Uint8Array([0x47, 0x09, 0xff]), 'x'), /not valid UTF-8/);
  });

  it('resolveCorpus reads a file source', async () => {
    const file = write('fra.txt', text);
    assert.equal(await resolveCorpus({ kind: 'file', path: file }, dir), text);
  });
});
