/**
 * selectBackend where @tensorflow/tfjs-node-gpu is not installed (as here): auto falls back to
 * WebAssembly and says why, without leaving process-wide handlers behind.
 */
import { strict as assert } from 'node:assert';
import { BACKEND_CHOICES, BackendChoice, selectBackend } from '../../src/backend/backend';
import { tf } from '../../src/model/tf';
import { TempDirs } from '../helpers/tempDir';
import { useCpuBackend } from '../helpers/tinyModel';

function listenerCounts() {
  return {
    uncaughtException: process.listeners('uncaughtException').length,
    unhandledRejection: process.listeners('unhandledRejection').length,
  };
}

describe('selectBackend', () => {
  const temp = new TempDirs();

  before(function () {
    let installed = true;
    try {
      require.resolve('@tensorflow/tfjs-node-gpu');
    } catch {
      installed = false;
    }
    // These tests describe a machine without the optional GPU package.
    if (installed) this.skip();
  });

  after(async () => {
    temp.cleanup();
    await useCpuBackend();
  });

  it('picks wasm for auto, says the GPU is unavailable, and leaves no process handlers', async () => {
    const before = listenerCounts();
    const info = await selectBackend('auto');
    assert.deepEqual(listenerCounts(), before, 'the wasm module left process handlers');
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.requested, 'auto');
    assert.match(info.label, /^WebAssembly \((no )?SIMD\)$/);
    // Said plainly: not the raw "gpu unavailable: Cannot find module '@tensorflow/tfjs-node-gpu'".
    assert.match(
      info.reason,
      /^GPU backend not installed \(optional: run “Transformer: Install GPU Backend”/,
    );
    assert.doesNotMatch(info.reason, /Cannot find module/);
  });

  it('computes correctly on wasm', async () => {
    await selectBackend('wasm');
    const product = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).arraySync(),
    );
    assert.deepEqual(product, [
      [19, 22],
      [43, 50],
    ]);
  });

  it('falls back from gpu to wasm and gives the reason', async () => {
    const empty = temp.make();
    const before = listenerCounts();
    const info = await selectBackend('gpu', { gpuModulePaths: [empty] });
    assert.deepEqual(listenerCounts(), before);
    assert.equal(info.name, 'wasm');
    assert.equal(info.requested, 'gpu');
    assert.match(info.reason, /^GPU backend not installed/);
  });

  it('gives wasm and cpu as requested', async () => {
    const wasm = await selectBackend('wasm');
    assert.deepEqual([wasm.name, wasm.requested, wasm.reason], ['wasm', 'wasm', 'as requested']);
    const cpu = await selectBackend('cpu');
    assert.deepEqual(cpu, {
      name: 'cpu',
      label: 'CPU (pure JavaScript)',
      requested: 'cpu',
      reason: 'as requested',
    });
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('rejects an unknown choice and keeps the backend in use', async () => {
    await selectBackend('cpu');
    await assert.rejects(
      selectBackend('tpu' as BackendChoice),
      new RegExp(`^Error: Unknown backend "tpu": use one of ${BACKEND_CHOICES.join(', ')}$`),
    );
    assert.equal(tf.getBackend(), 'cpu');
  });
});
