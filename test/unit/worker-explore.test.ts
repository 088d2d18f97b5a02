/**
 * The worker's explore requests (src/shared/exploreMessages.ts) as the host sends them: a real
 * worker thread trains a tiny model, then answers masked translations and head walk-throughs,
 * each reply paired with its request, a bad head as an error of that request.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkerClient } from '../../src/host/workerClient';
import type { ModelTarget, TranslationItem } from '../../src/shared/protocol';
import { SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { tinyStartMessage, WASM_DIR } from '../helpers/startMessage';

const WORKER = path.join(__dirname, '../../src/worker/trainingWorker.ts');

describe('worker: masked translation and head walk-through requests', function () {
  this.timeout(120_000);
  let dir: string;
  let client: WorkerClient;
  let target: ModelTarget;
  let item: TranslationItem;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tae-worker-explore-'));
    client = new WorkerClient(WORKER, ['--require', 'tsx/cjs']);
    const checkpointDir = path.join(dir, 'model');
    const done = new Promise<void>((resolve, reject) =>
      client.onMessage((m) => {
        if (m.type === 'trainingDone') resolve();
        else if (m.type === 'error') reject(new Error(m.message));
      }),
    );
    client.send(tinyStartMessage(3, { corpusPath: SHARED_FRA_TXT, checkpointDir }));
    await done;
    target = {
      checkpointDir,
      positionMode: 'correct',
      backend: 'wasm',
      wasmDir: WASM_DIR,
      gpuModulePaths: [],
    };
    [item] = await client.translate({
      ...target,
      sentences: [{ source: 'go .', reference: 'va !' }],
      decoding: { kind: 'greedy' },
    });
  });
  after(async () => {
    await client.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  const original = () => item.translation.split(' ').filter((t) => t !== '');

  it('no head off: the translation shown, every token the same; heads off: a diff of both', async () => {
    const none = await client.request({
      type: 'maskedTranslate',
      ...target,
      sentence: 'go .',
      reference: 'va !',
      original: original(),
      off: [],
    });
    assert.equal(none.type, 'maskedTranslateResult');
    assert.equal(none.result.translation, item.translation);
    assert.equal(none.result.bleu, item.bleu);
    assert.ok(none.result.changes.every((c) => c.op === 'same'));
    assert.deepEqual(none.result.attention, item.attention);

    const off = [
      { kind: 'encoderSelf', layer: 0, head: 0 },
      { kind: 'encoderDecoder', layer: 0, head: 1 },
    ] as const;
    const masked = await client.request({
      type: 'maskedTranslate',
      ...target,
      sentence: 'go .',
      original: original(),
      off: [...off],
    });
    const r = masked.result;
    assert.deepEqual(r.off, off);
    assert.equal(r.bleu, null, 'no reference given');
    assert.equal(r.tokens.join(' '), r.translation);
    const kept = (op: 'removed' | 'added') =>
      r.changes.filter((c) => c.op !== op).map((c) => c.token);
    assert.deepEqual(kept('added'), original(), 'same + removed = the original');
    assert.deepEqual(kept('removed'), r.tokens, 'same + added = the masked tokens');
    assert.ok(r.milliseconds > 0 && r.milliseconds < 10_000, `${r.milliseconds} ms`);
  });

  it('a walk-through row is the heatmap row, its softmax the same weights', async () => {
    const reply = await client.request({
      type: 'headWalkthrough',
      ...target,
      sentence: 'go .',
      kind: 'encoderDecoder',
      layer: 0,
      head: 1,
      query: 0,
      off: [],
    });
    const w = reply.walkthrough;
    assert.equal(w.translation, item.translation);
    assert.deepEqual(w.weights, item.attention.encoderDecoder[0][1][0]);
    assert.equal(w.queryToken, '<bos>');
    assert.equal(w.d, 4, 'width 8 / 2 heads');
    assert.equal(w.queryVector.length, 4);
    w.softmax.forEach((p, j) => assert.ok(Math.abs(p - (w.weights[j] ?? 0)) < 1e-5, `key ${j}`));
    w.output.forEach((o, i) => assert.ok(Math.abs(o - w.modelOutput[i]) < 1e-5, `dim ${i}`));
  });

  it('answers concurrent requests each with its own reply; a head the model lacks rejects that one', async () => {
    const ask = (head: number) =>
      client.request({
        type: 'headWalkthrough',
        ...target,
        sentence: 'go .',
        kind: 'encoderSelf',
        layer: 0,
        head,
        query: 1,
        off: [],
      });
    const [a, bad, b] = await Promise.allSettled([ask(1), ask(5), ask(0)]);
    assert.ok(a.status === 'fulfilled' && a.value.walkthrough.head === 1);
    assert.ok(b.status === 'fulfilled' && b.value.walkthrough.head === 0);
    assert.ok(bad.status === 'rejected' && /head 5 is not in 0\.\.1/.test(String(bad.reason)));
    const masked = client.request({
      type: 'maskedTranslate',
      ...target,
      sentence: 'go .',
      original: [],
      off: [{ kind: 'decoderSelf', layer: 3, head: 0 }],
    });
    await assert.rejects(masked, /layer 3 is not in 0\.\.0/);
  });
});
