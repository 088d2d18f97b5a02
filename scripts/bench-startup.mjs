// How long a training worker takes to start: from `new Worker(dist/trainingWorker.js)` to the
// backend being chosen and to the first epoch message, as the extension starts one for Train
// Transformer (the e2e's small settings, the wasm backend, one thread). Each sample is a fresh
// process (cold, as the first Train of a session). Give several builds' dist folders to compare
// them: the samples alternate between them, so a busy machine slows each alike. Prints the
// median of each and one JSON line.
// Usage: node scripts/bench-startup.mjs [--runs 5] [--corpus FILE] DIST [DIST...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const [value] = argv.splice(i, 2).slice(1);
  return value;
};
const child = option('--child', undefined);
const runs = Number(option('--runs', '5'));
const corpus = resolve(option('--corpus', '../shared/data/fra-eng/fra.txt'));
const dists = (argv.length ? argv : ['dist']).map((d) => resolve(d));

/** The StartTrainingMessage the extension sends (src/shared/protocol.ts), e2e-sized. */
function startMessage(dist, checkpointDir) {
  return {
    type: 'startTraining',
    hyperparameters: {
      numHiddens: 16,
      numLayers: 2,
      numHeads: 4,
      ffnNumHiddens: 32,
      dropout: 0.1,
      batchSize: 32,
      numSteps: 10,
      learningRate: 0.005,
      numEpochs: 15,
      numExamples: 100,
      seed: 0,
      attentionFunction: 'dotProduct',
    },
    backend: 'wasm',
    corpusPath: corpus,
    checkpointDir,
    wasmDir: dist,
    gpuModulePaths: [],
    positionMode: 'correct',
    probe: { source: "i'm home .", target: 'je suis chez moi .' },
    snapshotEvery: 5,
    heldOutCount: 0,
    threads: '1',
  };
}

/** One worker start: ms to backendSelected and to the first epoch. */
function once(dist) {
  const checkpointDir = mkdtempSync(join(tmpdir(), 'tae-startup-'));
  const t0 = performance.now();
  const worker = new Worker(join(dist, 'trainingWorker.js'));
  const result = {};
  return new Promise((done, fail) => {
    worker.on('error', fail);
    worker.on('message', (m) => {
      if (m.type === 'error') fail(new Error(m.message));
      if (m.type === 'backendSelected') result.backendMs = performance.now() - t0;
      if (m.type === 'epoch') {
        result.firstEpochMs = performance.now() - t0;
        void worker.terminate().then(() => done(result));
      }
    });
    worker.postMessage(startMessage(dist, checkpointDir));
  }).finally(() => rmSync(checkpointDir, { recursive: true, force: true }));
}

/** One sample in a child process: what `once` measured there. */
function sample(dist) {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [script, '--child', dist, '--corpus', corpus], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

if (child) {
  console.log(JSON.stringify(await once(resolve(child))));
  process.exit(0);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = new Map(dists.map((d) => [d, []]));
for (let i = 0; i < runs; i++) {
  for (const dist of dists) samples.get(dist).push(sample(dist));
}
const summary = dists.map((dist) => {
  const s = samples.get(dist);
  const row = {
    dist,
    backendMs: Math.round(median(s.map((r) => r.backendMs))),
    firstEpochMs: Math.round(median(s.map((r) => r.firstEpochMs))),
  };
  console.log(
    `${dist}: worker start to backend ${row.backendMs} ms, to the first epoch ` +
      `${row.firstEpochMs} ms (median of ${runs})`,
  );
  return row;
});
console.log(JSON.stringify(summary));
