/**
 * Per-kernel profile of the training step (tf.profile): where a step's time goes.
 *
 *   npx tsx bench/profileStep.ts [--backend wasm|cpu] [--rows 64] [--steps 40] [--by-shape]
 *                                [--attention dotProduct|additive]
 *                                [--examples 600]   (167130: the whole corpus)
 *
 * Times `--steps` steps of the book's default experiment (batch rows `--rows`: 32 is one of the
 * two threads' halves), then profiles 10 more and prints kernel time per step by kernel (and by
 * input shapes with --by-shape), slowest first.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { selectBackend, BackendChoice } from '../src/backend/backend';
import { DEFAULT_HYPERPARAMETERS as H } from '../src/config/hyperparameters';
import { readCorpusFile } from '../src/data/corpus';
import { epochBatches } from '../src/data/batches';
import { loadDataNmt } from '../src/data/nmtDataset';
import { modelConfigOf } from '../src/config/modelConfig';
import { tf } from '../src/model/tf';
import type { AttentionFunction } from '../src/model/config';
import { Transformer } from '../src/model/transformer';
import { batchTensors } from '../src/train/batch';
import { batchRows } from '../src/train/parallel';
import { bookAdam, trainStep } from '../src/train/trainStep';
import { Rng } from '../src/util/rng';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      rows: { type: 'string', default: String(H.batchSize) },
      steps: { type: 'string', default: '40' },
      examples: { type: 'string', default: String(H.numExamples) },
      'by-shape': { type: 'boolean', default: false },
      attention: { type: 'string', default: H.attentionFunction },
      data: {
        type: 'string',
        default: path.resolve(__dirname, '../../shared/data/fra-eng/fra.txt'),
      },
    },
  });
  const info = await selectBackend(values.backend as BackendChoice);
  const data = loadDataNmt(readCorpusFile(values.data), {
    numExamples: Number(values.examples),
    numSteps: H.numSteps,
  });
  const attentionFunction = values.attention as AttentionFunction;
  const h = { ...H, attentionFunction };
  const model = new Transformer(modelConfigOf(h, data.srcVocab.size, data.tgtVocab.size), 0);
  const rng = new Rng(1);
  const optimizer = bookAdam(H.learningRate);
  const rows = Number(values.rows);
  const batches = [...epochBatches({ src: data.src, tgt: data.tgt }, H.batchSize, rng)]
    .filter((b) => b.size >= rows)
    .slice(0, 64) // enough to cycle through; the whole corpus has 2,612
    .map((b) => batchTensors(batchRows(b, 0, rows, H.numSteps), H.numSteps, data.tgtVocab.bos));
  const step = (i: number) =>
    trainStep(model, optimizer, batches[i % batches.length], rng).dispose();
  for (let i = 0; i < 5; i++) step(i);
  const n = Number(values.steps);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) step(i);
  const ms = (performance.now() - t0) / n;
  const cpu = process.cpuUsage(cpu0);
  // CPU time (this process's; wasm trains on one thread) is what other jobs on the machine
  // disturb least: compare it between runs made while the load changes.
  const cpuMs = (cpu.user + cpu.system) / 1000 / n;
  console.log(
    `${info.label}, ${attentionFunction}: ${ms.toFixed(1)} ms per step of ${rows} rows, ` +
      `${cpuMs.toFixed(1)} ms CPU (${n} steps)`,
  );

  await profileKernels(step, values['by-shape']);
  tf.dispose(batches.flatMap((b) => Object.values(b)));
  optimizer.dispose();
  model.dispose();
}

/** tf.profile of 10 steps: kernel time per step by kernel (and input shapes), slowest first. */
async function profileKernels(step: (i: number) => void, byShape: boolean): Promise<void> {
  const P = 10;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  let calls = 0;
  for (let i = 0; i < P; i++) {
    const profile = await tf.profile(() => step(i));
    for (const k of profile.kernels) {
      const key = byShape ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
      const t = Number(await k.kernelTimeMs);
      const e = byKernel.get(key) ?? { ms: 0, calls: 0 };
      e.ms += t;
      e.calls++;
      byKernel.set(key, e);
      total += t;
      calls++;
    }
  }
  console.log(`in kernels: ${(total / P).toFixed(1)} ms per step, ${calls / P} kernel calls`);
  for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) {
    console.log(
      `${(e.ms / P).toFixed(2).padStart(7)} ms ${String(e.calls / P).padStart(5)} calls  ${name}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
