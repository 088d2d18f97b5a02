import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { decodeCorpus, readCorpusFile, resolveCorpus } from '../../src/data/corpus';
import { TempDirs } from '../helpers/tempDir';
import { zipBomb, zipOf } from '../helpers/zipBomb';

const MiB = 1024 * 1024;

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

  it('names the first line that is not UTF-8', () => {
    const file = write('latin1.txt', Buffer.from('Go.\tVa !\nCafé.\tCafé !\n', 'latin1'));
    assert.throws(
      () => readCorpusFile(file),
      /latin1\.txt is not valid UTF-8 text \(first invalid byte on line 2\)/,
    );
  });

  it('refuses a text file over the limit without reading it', () => {
    // Sparse: no disk space used, but reading it whole would take 3 GB of memory.
    const file = write('huge.txt', '');
    fs.truncateSync(file, 3e9);
    assert.throws(
      () => readCorpusFile(file),
      /huge\.txt is 2\.8 GB, over the 256 MB limit for corpus text/,
    );
    assert.throws(
      () => readCorpusFile(write('fra.txt', text), { maxTextBytes: 10 }),
      /is 21 bytes, over the 10 bytes limit for corpus text/,
    );
  });

  it('refuses a zip file over the archive limit without reading it', () => {
    const file = write('huge.zip', '');
    fs.truncateSync(file, 100 * MiB);
    assert.throws(
      () => readCorpusFile(file),
      /huge\.zip is 100 MB, over the 64 MB limit for a corpus archive/,
    );
  });

  it('says a zip archive cut short is truncated', () => {
    const zip = zipSync({ 'fra-eng/fra.txt': strToU8(text.repeat(100)) });
    assert.throws(
      () => readCorpusFile(write('cut.zip', zip.subarray(0, zip.length >> 1))),
      /cut\.zip: corrupt zip archive: no end-of-central-directory record \(not a zip, or truncated\)/,
    );
    const data = deflateRawSync(text.repeat(100));
    const entry = {
      name: 'fra.txt',
      data: data.subarray(0, data.length >> 1),
      method: 8,
      size: 2200,
    };
    assert.throws(
      () => readCorpusFile(write('cut-entry.zip', zipOf([entry]))),
      /cut-entry\.zip: corrupt zip archive: entry fra\.txt is truncated/,
    );
  });
});

describe('zip bombs', function () {
  // Each case reads the bomb in a fresh node process and reports that process's peak memory.
  this.timeout(120_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  const readInChild = (
    zip: Uint8Array,
    limit?: number,
  ): { message: string; peakRiseBytes: number } => {
    const file = path.join(temp.make('tae-bomb-'), 'fra-eng.zip');
    fs.writeFileSync(file, zip);
    const script = path.join(__dirname, '../helpers/readCorpusPeak.ts');
    const args = ['--require', 'tsx/cjs', script, file, ...(limit ? [String(limit)] : [])];
    return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as {
      message: string;
      peakRiseBytes: number;
    };
  };

  it('refuses a bomb by the size its header claims, before inflating anything', () => {
    const { message, peakRiseBytes } = readInChild(zipBomb('fra-eng/fra.txt', 1024));
    assert.match(
      message,
      /fra-eng\/fra\.txt is 1 GB uncompressed, over the 256 MB limit for corpus text/,
    );
    assert.ok(peakRiseBytes < 16 * MiB, `peak memory rose by ${peakRiseBytes / MiB} MiB`);
  });

  it('stops inflating a bomb whose header lies as soon as the limit is passed', () => {
    const { message, peakRiseBytes } = readInChild(zipBomb('fra-eng/fra.txt', 1024, 1000), 4 * MiB);
    assert.match(message, /fra-eng\/fra\.txt inflates to more than the 4 MB limit for corpus text/);
    assert.ok(peakRiseBytes < 32 * MiB, `peak memory rose by ${peakRiseBytes / MiB} MiB`);
  });
});

describe('corpus resolution', () => {
  it('resolveCorpus reads a file source', async () => {
    const dir = new TempDirs();
    const file = path.join(dir.make('tae-read-'), 'fra.txt');
    fs.writeFileSync(file, 'Go.\tVa !\n');
    assert.equal(await resolveCorpus({ kind: 'file', path: file }, dir.make()), 'Go.\tVa !\n');
    dir.cleanup();
  });
});
