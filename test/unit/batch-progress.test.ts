/**
 * Progress inside long phases: evaluateRange's per-sentence callback, the worker's throttle, and
 * the batchProgress messages runTraining posts (in this thread, on the cpu backend).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { evaluateRange } from '../../src/decode/evaluate';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import type { BatchProgress, StartTrainingMessage, WorkerToHost } from '../../src/shared/protocol';
import { ProgressThrottle, runTraining } from '../../src/worker/runTraining';
import { readSharedCorpus, SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { tinyStartMessage } from '../helpers/startMessage';
import { TempDirs } from '../helpers/tempDir';
import { TINY_CONFIG, useCpuBackend, vocabOf } from '../helpers/tinyModel';

describe('evaluateRange progress', () => {
  before(useCpuBackend);

  it('reports 0 first, then every sentence up to the count it returns', () => {
    const words = ['go', '.', 'i', 'lost', 'hi', '!', 'run'];
    const src = vocabOf(words);
    const tgt = vocabOf(['va', '!', "j'ai", 'perdu', '.', 'salut', 'cours']);
    const model = new Transformer(
      { ...TINY_CONFIG, srcVocabSize: src.size, tgtVocabSize: tgt.size },
      1,
    );
    try {
      const calls: [number, number][] = [];
      const r = evaluateRange(model, src, tgt, readSharedCorpus(), 0, 7, 6, 'correct', (d, t) =>
        calls.push([d, t]),
      );
      assert.equal(r.count, 7);
      assert.deepEqual(
        calls,
        Array.from({ length: 8 }, (_, i) => [i, 7]),
      );
    } finally {
      model.dispose();
    }
  });
});

describe('ProgressThrottle', () => {
  it('lets one update through per interval and phase, never the last of a phase', () => {
    let now = 1000;
    const t = new ProgressThrottle(250, () => now);
    const due: boolean[] = [];
    const ask = (phase: BatchProgress['phase'], done: number, total: number, at: number) => {
      now = at;
      due.push(t.due(phase, done, total));
    };
    ask('train', 1, 10, 1000); // the first: at once
    ask('train', 2, 10, 1100); // 100 ms later: held back
    ask('train', 3, 10, 1249); // 249 ms: held back
    ask('train', 4, 10, 1250); // 250 ms: sent
    ask('train', 10, 10, 2000); // the epoch's last: its 'epoch' message says it
    ask('train', 1, 10, 2001); // the next epoch's first (more than 250 ms after the last sent)
    ask('heldOut', 0, 5, 2002); // a new phase: at once
    ask('heldOut', 1, 5, 2003); // held back
    ask('heldOut', 5, 5, 3000); // the last: 'trainingDone' follows
    ask('heldOut', 0, 0, 4000); // nothing to do
    assert.deepEqual(due, [true, false, false, true, false, true, true, false, false, false]);
  });
});

describe('runTraining batchProgress messages', function () {
  this.timeout(60_000);
  const temp = new TempDirs();

  before(useCpuBackend);
  after(() => temp.cleanup());

  function start(epochs: number): StartTrainingMessage {
    return tinyStartMessage(epochs, {
      backend: 'cpu',
      corpusPath: SHARED_FRA_TXT,
      checkpointDir: path.join(temp.make('tae-progress-'), 'model'),
      snapshotEvery: 100,
      heldOutCount: 6,
    });
  }

  async function collect(epochs: number, intervalMs?: number) {
    const seen: { m: WorkerToHost; at: number }[] = [];
    const post = (m: WorkerToHost) => void seen.push({ m, at: performance.now() });
    const options = intervalMs === undefined ? {} : { progressIntervalMs: intervalMs };
    await runTraining(start(epochs), post, new AbortController().signal, options);
    const done = seen.find((s) => s.m.type === 'trainingDone');
    assert.ok(done && done.m.type === 'trainingDone' && !done.m.summary.cancelled);
    return seen;
  }

  const progressOf = (s: { m: WorkerToHost }) =>
    s.m.type === 'batchProgress' ? s.m.progress : null;

  it('without throttling: every batch but each epoch’s last, then the held-out sentences', async () => {
    const seen = await collect(3, 0);
    const types = seen.map((s) => s.m.type);
    const progress = seen.map(progressOf).filter((p) => p !== null);
    // 41 pairs in batches of 16: 3 batches per epoch; the last of each is left to 'epoch'.
    const train = progress.filter((p) => p.phase === 'train');
    assert.deepEqual(
      train.map((p) => [p.epoch, p.done, p.total, p.numEpochs]),
      [1, 2, 3].flatMap((e) => [1, 2].map((d) => [e, d, 3, 3])),
    );
    // Each epoch's progress comes before its 'epoch' message.
    for (const e of [1, 2, 3]) {
      const ofEpoch = seen.map(
        (s) => progressOf(s)?.phase === 'train' && progressOf(s)?.epoch === e,
      );
      const lastProgress = ofEpoch.lastIndexOf(true);
      const epochMsg = seen.findIndex((s) => s.m.type === 'epoch' && s.m.point.epoch === e);
      assert.ok(lastProgress < epochMsg, `epoch ${e}: ${types.join(' ')}`);
    }
    const heldOut = progress.filter((p) => p.phase === 'heldOut');
    assert.deepEqual(
      heldOut.map((p) => [p.epoch, p.numEpochs, p.done, p.total]),
      [0, 1, 2, 3, 4, 5].map((d) => [3, 3, d, 6]),
    );
    const elapsed = progress.map((p) => p.elapsedSeconds);
    assert.ok(
      elapsed.every((x, i) => x > 0 && (i === 0 || x >= elapsed[i - 1])),
      `elapsed ${elapsed}`,
    );
    assert.ok(types.indexOf('trainingDone') > types.lastIndexOf('batchProgress'));
    // The data is announced before the first step, not when the first epoch ends.
    const ready = seen.find((s) => s.m.type === 'dataReady')!.m;
    assert.ok(types.indexOf('dataReady') < types.indexOf('batchProgress'), types.join(' '));
    assert.ok(ready.type === 'dataReady' && ready.pairs === 41 && ready.parameters > 0);
  });

  it('by default at most one message per 250 ms and phase, the first at once', async () => {
    const seen = await collect(12);
    const sent = seen.filter((s) => s.m.type === 'batchProgress');
    const train = sent.filter((s) => progressOf(s)!.phase === 'train');
    const epochs = seen.filter((s) => s.m.type === 'epoch');
    const trainMs = epochs[epochs.length - 1].at - train[0].at;
    assert.ok(train.length <= Math.floor(trainMs / 250) + 1, `${train.length} in ${trainMs} ms`);
    assert.deepEqual(
      [progressOf(train[0])!.epoch, progressOf(train[0])!.done],
      [1, 1],
      'the first batch is shown at once',
    );
    for (let i = 1; i < train.length; i++) {
      // 250 ms between the throttle's clock readings; posting adds microseconds either side.
      const gap = train[i].at - train[i - 1].at;
      assert.ok(gap >= 249, `${gap} ms apart`);
    }
    const heldOut = sent.filter((s) => progressOf(s)!.phase === 'heldOut');
    assert.equal(progressOf(heldOut[0])!.done, 0, 'the held-out phase is announced at once');
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await collect(1, 0);
    assert.equal(tf.memory().numTensors, before);
  });
});
