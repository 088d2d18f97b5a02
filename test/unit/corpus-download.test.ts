import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { downloadCorpus, FRA_ENG_ENTRY, resolveCorpus } from '../../src/data/corpus';
import {
  CorpusServer,
  redirectTo,
  serveAnnounced,
  serveBytes,
  serveDrip,
  serveEndless,
  serveStalled,
  serveTruncated,
} from '../helpers/corpusServer';
import { sharedCorpusHead } from '../helpers/sharedCorpus';
import { TempDirs } from '../helpers/tempDir';
import { zipBomb } from '../helpers/zipBomb';

const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');
const MiB = 1024 * 1024;
/** Small limits, so that the hostile cases stay quick and light. */
const limits = { maxArchiveBytes: MiB, maxTextBytes: MiB };

describe('corpus download', () => {
  const text = sharedCorpusHead(2000);
  const zip = zipSync({
    [FRA_ENG_ENTRY]: strToU8(text),
    'fra-eng/_about.txt': strToU8('about'),
  });
  const zipSha1 = sha1(zip);
  const wrongEntryZip = zipSync({ 'other/fra.txt': strToU8(text) });
  const corrupt = new Uint8Array(zip.length).fill(7);
  // 64 MiB of zeros from ~70 kB, its header claiming 1000 bytes.
  const bomb = zipBomb(FRA_ENG_ENTRY, 64, 1000);
  const latin1 = zipSync({ [FRA_ENG_ENTRY]: Buffer.from('Go.\tVa !\nCafé.\tCafé !\n', 'latin1') });
  const server = new CorpusServer()
    .on('/fra-eng.zip', serveBytes(zip))
    .on('/moved', redirectTo('/fra-eng.zip'))
    .on('/moved-twice', redirectTo('/moved', 301))
    .on('/loop', redirectTo('/loop'))
    .on('/truncated.zip', serveTruncated(zip, zip.length + 5000, Math.floor(zip.length / 2)))
    .on('/stalled.zip', serveStalled(zip, 1024))
    .on('/corrupt.zip', serveBytes(corrupt))
    .on('/wrong-entry.zip', serveBytes(wrongEntryZip))
    .on('/error', (_req, res) => res.writeHead(500).end('boom'))
    .on('/bomb.zip', serveBytes(bomb))
    .on('/latin1.zip', serveBytes(latin1))
    .on('/endless', serveEndless())
    .on('/announced-2mb', serveAnnounced(2 * MiB))
    .on('/drip.zip', serveDrip(zip, 20));
  const temp = new TempDirs();
  let cacheDir = '';

  before(() => server.listen());
  after(() => server.close());
  beforeEach(() => {
    server.requests = [];
    cacheDir = temp.make('tae-corpus-');
  });
  afterEach(() => temp.cleanup());

  const cacheEntries = (): string[] => fs.readdirSync(cacheDir);

  it('downloads, verifies, unpacks and caches fra.txt', async () => {
    const file = await downloadCorpus({ url: server.url('/fra-eng.zip'), sha1: zipSha1, cacheDir });
    assert.equal(file, path.join(cacheDir, 'fra-eng', 'fra.txt'));
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'fra-eng')).sort(), [
      'corpus.json',
      'fra.txt',
    ]);
    assert.deepEqual(cacheEntries(), ['fra-eng']);
    assert.equal(server.requests.length, 1);
  });

  it('serves the cached copy without a request the second time', async () => {
    const options = { url: server.url('/fra-eng.zip'), sha1: zipSha1, cacheDir };
    await downloadCorpus(options);
    const file = await downloadCorpus(options);
    assert.equal(server.requests.length, 1);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  it('downloads again when the cached text was altered', async () => {
    const options = { url: server.url('/fra-eng.zip'), sha1: zipSha1, cacheDir };
    const file = await downloadCorpus(options);
    fs.appendFileSync(file, 'x');
    await downloadCorpus(options);
    assert.equal(server.requests.length, 2);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  });

  it('removes the temporary files of a killed download, not those of a live one', async () => {
    const options = { url: server.url('/fra-eng.zip'), sha1: zipSha1, cacheDir };
    await downloadCorpus(options);
    // A process that has exited: its pid names no live process (pids are not reused this fast).
    const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { stdio: 'ignore' }).pid;
    assert.ok(dead !== undefined && dead > 0);
    const leftovers = [
      path.join(cacheDir, `.fra-eng-${dead}-0123456789ab.zip.part`),
      path.join(cacheDir, 'fra-eng', `fra.txt.${dead}-0123456789ab.tmp`),
    ];
    const live = path.join(cacheDir, `.fra-eng-${process.pid}-0123456789ab.zip.part`);
    for (const file of [...leftovers, live]) fs.writeFileSync(file, 'partial');
    await downloadCorpus(options);
    assert.deepEqual(
      leftovers.filter((f) => fs.existsSync(f)),
      [],
    );
    assert.ok(fs.existsSync(live), 'a live process may still be writing its .part file');
    assert.equal(server.requests.length, 1, 'the cached copy still served');
  });

  it('reports progress with growing byte counts and the total', async () => {
    const calls: [number, number | undefined][] = [];
    await downloadCorpus({
      url: server.url('/fra-eng.zip'),
      sha1: zipSha1,
      cacheDir,
      onProgress: (received, total) => calls.push([received, total]),
    });
    assert.ok(calls.length >= 2, `expected several progress calls, got ${calls.length}`);
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] > calls[i - 1][0]);
    assert.ok(calls.every(([, total]) => total === zip.length));
    assert.equal(calls[calls.length - 1][0], zip.length);
  });

  it('follows redirects', async () => {
    const file = await downloadCorpus({ url: server.url('/moved-twice'), sha1: zipSha1, cacheDir });
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.deepEqual(server.requests, ['/moved-twice', '/moved', '/fra-eng.zip']);
  });

  it('gives up after 5 redirects', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/loop'), sha1: zipSha1, cacheDir }),
      /too many redirects/,
    );
    assert.equal(server.requests.length, 6);
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails on HTTP 404 naming the status and leaves the cache empty', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/nowhere.zip'), sha1: zipSha1, cacheDir }),
      /HTTP status 404/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails on HTTP 500', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/error'), sha1: zipSha1, cacheDir }),
      /HTTP status 500/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails on a checksum mismatch naming both hashes and leaves the cache empty', async () => {
    const expected = '0'.repeat(40);
    await assert.rejects(
      downloadCorpus({ url: server.url('/fra-eng.zip'), sha1: expected, cacheDir }),
      (err: Error) => {
        assert.match(err.message, /checksum mismatch/);
        assert.ok(err.message.includes(expected), err.message);
        assert.ok(err.message.includes(zipSha1), err.message);
        return true;
      },
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails on a truncated body and leaves the cache empty', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/truncated.zip'), sha1: zipSha1, cacheDir }),
      /truncated: received \d+ of \d+ bytes/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails on a corrupt zip whose checksum matches', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/corrupt.zip'), sha1: sha1(corrupt), cacheDir }),
      /corrupt zip archive/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails on a zip without fra-eng/fra.txt', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/wrong-entry.zip'), sha1: sha1(wrongEntryZip), cacheDir }),
      /no entry fra-eng\/fra\.txt \(entries: other\/fra\.txt\)/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('stops when aborted and leaves the cache empty', async () => {
    const controller = new AbortController();
    await assert.rejects(
      downloadCorpus({
        url: server.url('/stalled.zip'),
        sha1: zipSha1,
        cacheDir,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
      /aborted/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      downloadCorpus({
        url: server.url('/fra-eng.zip'),
        sha1: zipSha1,
        cacheDir,
        signal: controller.signal,
      }),
      /aborted/,
    );
    assert.equal(server.requests.length, 0);
  });

  it('times out when the server stops sending', async () => {
    await assert.rejects(
      downloadCorpus({
        url: server.url('/stalled.zip'),
        sha1: zipSha1,
        cacheDir,
        timeoutMs: 200,
      }),
      /timed out \(no data for 200 ms\)/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('fails clearly on a network error', async () => {
    await assert.rejects(
      downloadCorpus({ url: 'http://127.0.0.1:1/fra-eng.zip', sha1: zipSha1, cacheDir }),
      /download of http:\/\/127\.0\.0\.1:1\/fra-eng\.zip failed: .*ECONNREFUSED/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('refuses a zip bomb as too large, not as bad UTF-8, and caches nothing', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/bomb.zip'), sha1: sha1(bomb), cacheDir, limits }),
      /fra-eng\/fra\.txt inflates to more than the 1 MB limit for corpus text/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('refuses a download whose Content-Length is over the limit without reading it', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/announced-2mb'), sha1: zipSha1, cacheDir, limits }),
      /\/announced-2mb is 2 MB \(Content-Length\), over the 1 MB download limit/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('stops an endless body without Content-Length at the limit and caches nothing', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/endless'), sha1: zipSha1, cacheDir, limits }),
      /\/endless is larger than the 1 MB download limit \(stopped there; the server sent no Content-Length\)/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('gives up on a drip that never idles once the overall deadline has passed', async () => {
    const start = Date.now();
    await assert.rejects(
      downloadCorpus({ url: server.url('/drip.zip'), sha1: zipSha1, cacheDir, deadlineMs: 300 }),
      /did not finish within 300 ms \(received \d+ bytes of [\d.]+ KB\)/,
    );
    assert.ok(Date.now() - start < 2000, `took ${Date.now() - start} ms`);
    assert.deepEqual(cacheEntries(), []);
  });

  it('names the first line that is not UTF-8', async () => {
    await assert.rejects(
      downloadCorpus({ url: server.url('/latin1.zip'), sha1: sha1(latin1), cacheDir }),
      /latin1\.zip \(fra-eng\/fra\.txt\) is not valid UTF-8 text \(first invalid byte on line 2\)/,
    );
    assert.deepEqual(cacheEntries(), []);
  });

  it('keeps a good cached corpus when a re-download fails', async () => {
    const good = { url: server.url('/fra-eng.zip'), sha1: zipSha1, cacheDir };
    const file = await downloadCorpus(good);
    const snapshot = (): string[] =>
      ['fra.txt', 'corpus.json'].map((f) =>
        fs.readFileSync(path.join(cacheDir, 'fra-eng', f), 'hex'),
      );
    const before = snapshot();
    const failures = [
      { url: server.url('/nowhere.zip'), sha1: '1'.repeat(40) },
      { url: server.url('/fra-eng.zip'), sha1: '2'.repeat(40) },
      { url: server.url('/bomb.zip'), sha1: sha1(bomb) },
      { url: server.url('/latin1.zip'), sha1: sha1(latin1) },
      { url: server.url('/endless'), sha1: '3'.repeat(40) },
    ];
    for (const failure of failures) {
      await assert.rejects(downloadCorpus({ ...failure, cacheDir, limits }), failure.url);
      assert.deepEqual(snapshot(), before, `cache changed by ${failure.url}`);
      assert.deepEqual(cacheEntries(), ['fra-eng']);
    }
    const requests = server.requests.length;
    assert.equal(await downloadCorpus(good), file);
    assert.equal(server.requests.length, requests, 'the kept cache should be used as it is');
  });

  it('replaces a cached corpus by a new one that passed its checks', async () => {
    const other = sharedCorpusHead(50);
    const otherZip = zipSync({ [FRA_ENG_ENTRY]: strToU8(other) });
    server.on('/other.zip', serveBytes(otherZip));
    await downloadCorpus({ url: server.url('/fra-eng.zip'), sha1: zipSha1, cacheDir });
    const file = await downloadCorpus({
      url: server.url('/other.zip'),
      sha1: sha1(otherZip),
      cacheDir,
    });
    assert.equal(fs.readFileSync(file, 'utf8'), other);
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'fra-eng')).sort(), [
      'corpus.json',
      'fra.txt',
    ]);
  });

  it('resolveCorpus returns the text for a URL source', async () => {
    const got = await resolveCorpus(
      { kind: 'url', url: server.url('/fra-eng.zip'), sha1: zipSha1 },
      cacheDir,
    );
    assert.equal(got, text);
  });
});
