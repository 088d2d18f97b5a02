/**
 * runExperiment (src/train/runExperiment.ts), the one run the worker, the CLI and the bench
 * adapt: its events in order, the metrics it saves, the checkpoint folder checked before
 * anything runs, and stopped or unsaved runs. In this thread, on the cpu backend.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE } from '../../src/checkpoint/checkpoint';
import { tf } from '../../src/model/tf';
import { evaluateRange } from '../../src/decode/evaluate';
import { firstUnusedLine } from '../../src/data/tokenize';
import { ExperimentEvents, ExperimentRequest, runExperiment } from '../../src/train/runExperiment';
import { MB, heapUsedAfterGc } from '../helpers/heap';
import { RUN_METRICS_KEYS } from '../helpers/runRecords';
import { SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { TempDirs } from '../helpers/tempDir';
import { TINY_HYPERPARAMETERS, useCpuBackend } from '../helpers/tinyModel';

describe('runExperiment', function () {
  this.timeout(60_000);
  const temp = new TempDirs();

  before(useCpuBackend);
  after(() => temp.cleanup());

  const request = (over: Partial<ExperimentRequest> = {}): ExperimentRequest => ({
    hyperparameters: { ...TINY_HYPERPARAMETERS, numEpochs: 2 },
    backend: 'cpu',
    corpusPath: SHARED_FRA_TXT,
    checkpointDir: path.join(temp.make('tae-run-'), 'model'),
    threads: 'auto',
    positionMode: 'correct',
    heldOutCount: 3,
    ...over,
  });

  /** Events that record their names (runs of 'batch' and 'heldOut' as one). */
  function recorder(): { events: ExperimentEvents; seen: string[] } {
    const seen: string[] = [];
    const note = (name: string) => () => void (seen.at(-1) === name || seen.push(name));
    const names = ['backendSelected', 'trainingStarts', 'prepared', 'batch', 'epoch', 'heldOut'];
    const events = Object.fromEntries(names.map((n) => [n, note(n)])) as ExperimentEvents;
    events.ended = (_outcome, trained) => {
      seen.push(`ended (${trained.model.params.count()} parameters alive)`);
    };
    return { events, seen };
  }

  it('runs backend, corpus, training, seeds, held-out pairs and saves RunMetrics', async () => {
    const before = tf.memory().numTensors;
    const { events, seen } = recorder();
    const r = request();
    const outcome = await runExperiment(r, events);
    assert.deepEqual(seen.slice(0, 3), ['backendSelected', 'trainingStarts', 'prepared']);
    assert.deepEqual(
      seen.slice(3, -2),
      ['batch', 'epoch', 'batch', 'epoch'],
      'two epochs of batches',
    );
    assert.equal(seen.at(-2), 'heldOut');
    assert.match(seen.at(-1)!, /^ended \(\d+ parameters alive\)$/);
    assert.equal(outcome.backend.name, 'cpu');
    assert.equal(outcome.checkpointDir, r.checkpointDir);
    const metrics = outcome.metrics!;
    assert.deepEqual(Object.keys(metrics).sort(), RUN_METRICS_KEYS);
    assert.equal(metrics.loss, outcome.summary.lossPerToken);
    assert.equal(metrics.pairs, 41, 'the book reads numExamples + 1 lines');
    assert.equal(metrics.seeds.length, 4);
    assert.equal(metrics.heldOut?.count, 3);
    const saved = JSON.parse(fs.readFileSync(path.join(r.checkpointDir!, MANIFEST_FILE), 'utf8'));
    assert.deepEqual(saved.metrics, JSON.parse(JSON.stringify(metrics)));
    assert.equal(tf.memory().numTensors, before, 'the model is disposed once it has ended');
  });

  it('refuses the checkpoint folder before the backend starts or the corpus is read', async () => {
    const dir = temp.make('tae-run-');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const { events, seen } = recorder();
    const missing = path.join(dir, 'no-such-corpus.txt');
    await assert.rejects(
      runExperiment(request({ checkpointDir: dir, corpusPath: missing }), events),
      /refusing to save a checkpoint here: .*\(notes\.txt\)/,
    );
    assert.deepEqual(seen, []);
    assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
  });

  it('scores but saves nothing without a checkpoint folder (the bench)', async () => {
    const outcome = await runExperiment(request({ checkpointDir: undefined, heldOutCount: 0 }));
    assert.equal(outcome.checkpointDir, null);
    assert.equal(outcome.metrics?.seeds.length, 4);
    assert.equal(outcome.metrics?.heldOut, null);
  });

  it('neither scores nor saves a stopped run, and still ends it', async () => {
    const abort = new AbortController();
    const r = request({ signal: abort.signal });
    const { events, seen } = recorder();
    const outcome = await runExperiment(r, { ...events, epoch: () => abort.abort() });
    assert.equal(outcome.summary.cancelled, true);
    assert.equal(outcome.summary.epochsCompleted, 1);
    assert.deepEqual([outcome.metrics, outcome.checkpointDir], [null, null]);
    assert.match(seen.at(-1)!, /^ended/);
    assert.ok(!seen.includes('heldOut'));
    assert.equal(fs.existsSync(r.checkpointDir!), false);
  });

  it('keeps no reference to the corpus text while it trains', async () => {
    // The pairs it reads, then 27 MB more that a reference to the text would keep alive.
    const corpus = path.join(temp.make('tae-run-'), 'fra.txt');
    const head = fs.readFileSync(SHARED_FRA_TXT, 'utf8').split('\n').slice(0, 60).join('\n');
    fs.writeFileSync(corpus, head + '\n' + 'Go.\tVa !\n'.repeat(3_000_000));
    let before = NaN;
    let during = NaN;
    const outcome = await runExperiment(request({ corpusPath: corpus, checkpointDir: undefined }), {
      backendSelected: () => (before = heapUsedAfterGc()),
      batch: (r) => void (r.epoch === 2 && r.done === 1 && (during = heapUsedAfterGc())),
    });
    assert.equal(outcome.metrics?.heldOut?.count, 3, 'the held-out lines were kept');
    const growth = (during - before) / MB;
    assert.ok(growth < 8, `${growth.toFixed(1)} MB more reachable while training`);
  });

  it('scores the held-out lines as on the whole corpus text', async () => {
    const text = fs.readFileSync(SHARED_FRA_TXT, 'utf8');
    const h = { ...TINY_HYPERPARAMETERS, numEpochs: 2 };
    let expected: ReturnType<typeof evaluateRange> | null = null;
    const outcome = await runExperiment(request({ checkpointDir: undefined, heldOutCount: 5 }), {
      ended: (_outcome, { model, srcVocab, tgtVocab }) => {
        const from = firstUnusedLine(h.numExamples);
        expected = evaluateRange(model, srcVocab, tgtVocab, text, from, 5, h.numSteps, 'correct');
      },
    });
    assert.ok(expected);
    assert.deepEqual(outcome.metrics?.heldOut, expected);
  });
});
