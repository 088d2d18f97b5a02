/**
 * The corpus download as Train Transformer does it, against a server on 127.0.0.1 serving a zip
 * built from ../shared (good), a 404, a zip whose SHA-1 is not the expected one, and a zip bomb
 * (with the default limits of the extension).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { zipBomb } from '../helpers/zipBomb';
import {
  SMALL,
  activeApi,
  configure,
  resetSettings,
  sharedCorpus,
  train,
} from './support/extension';

describe('corpus download from Train Transformer', function () {
  this.timeout(10 * 60_000);
  let server: http.Server;
  let base: string;
  let zip: Uint8Array;
  let sha1: string;
  // 1 GiB of zeros in a ~1 MB archive whose header tells the truth.
  const bomb = zipBomb('fra-eng/fra.txt', 1024);
  const requests: string[] = [];

  before(async () => {
    const head = readFileSync(sharedCorpus(), 'utf8').split('\n').slice(0, 400).join('\n') + '\n';
    zip = zipSync({ 'fra-eng/fra.txt': strToU8(head) });
    sha1 = createHash('sha1').update(zip).digest('hex');
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = { '/fra-eng.zip': zip, '/bomb.zip': bomb }[req.url ?? ''];
      if (body) {
        res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'application/zip' });
        res.end(Buffer.from(body));
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await resetSettings();
    await configure({ ...SMALL, numEpochs: 1, heldOutCount: 0, corpusPath: '' });
  });
  after(async () => {
    server.close();
    await resetSettings();
  });

  it('fails clearly on a 404 and caches nothing', async () => {
    const api = await activeApi();
    await configure({ corpusUrl: `${base}/missing.zip`, corpusSha1: sha1 });
    await train(api);
    const state = api.trainingState();
    assert.equal(state.status, 'failed');
    assert.match(state.statusText, /404/);
    assert.ok(!existsSync(path.join(storage(api.checkpointDir), 'corpus', 'fra-eng', 'fra.txt')));
  });

  it('fails clearly on a wrong checksum and caches nothing', async () => {
    const api = await activeApi();
    await configure({ corpusUrl: `${base}/fra-eng.zip`, corpusSha1: '0'.repeat(40) });
    await train(api);
    const state = api.trainingState();
    assert.equal(state.status, 'failed');
    assert.match(state.statusText, new RegExp(sha1));
    const corpusDir = path.join(storage(api.checkpointDir), 'corpus');
    const left = existsSync(corpusDir) ? readdirSync(corpusDir, { recursive: true }) : [];
    assert.deepEqual(
      left.filter((f) => String(f).endsWith('fra.txt')),
      [],
    );
  });

  it('downloads, checks, caches and trains on a good zip', async () => {
    const api = await activeApi();
    await configure({ corpusUrl: `${base}/fra-eng.zip`, corpusSha1: sha1 });
    await train(api);
    assert.equal(api.trainingState().status, 'finished', api.trainingState().statusText);
    assert.ok(existsSync(path.join(storage(api.checkpointDir), 'corpus', 'fra-eng', 'fra.txt')));
  });

  it('refuses a zip bomb naming the limit, and keeps the cached corpus', async () => {
    const api = await activeApi();
    const cached = path.join(storage(api.checkpointDir), 'corpus', 'fra-eng', 'fra.txt');
    const before = readFileSync(cached);
    const bombSha1 = createHash('sha1').update(bomb).digest('hex');
    await configure({ corpusUrl: `${base}/bomb.zip`, corpusSha1: bombSha1 });
    await train(api);
    const state = api.trainingState();
    assert.equal(state.status, 'failed');
    assert.match(state.statusText, /is 1 GB uncompressed, over the 256 MB limit for corpus text/);
    assert.deepEqual(readFileSync(cached), before);

    requests.length = 0;
    await configure({ corpusUrl: `${base}/fra-eng.zip`, corpusSha1: sha1 });
    await train(api);
    assert.equal(api.trainingState().status, 'finished', api.trainingState().statusText);
    assert.deepEqual(requests, [], 'the kept cache should be used without a download');
  });
});

/** Global storage is two levels above checkpoints/current. */
function storage(checkpointDir: string): string {
  return path.dirname(path.dirname(checkpointDir));
}
