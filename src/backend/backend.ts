import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { tf } from '../model/tf';

import { BACKEND_CHOICES, BackendChoice } from './choices';
import { gpuUnavailableReason } from './gpuHelp';

export { BACKEND_CHOICES, BackendChoice };

export interface BackendInfo {
  /** tfjs's own name of the backend now in use: 'tensorflow' (tfjs-node-gpu), 'wasm' or 'cpu'. */
  name: string;
  /** What a person reads: "GPU (tfjs-node-gpu)", "WebAssembly (SIMD)", "CPU (pure JavaScript)". */
  label: string;
  requested: BackendChoice;
  /** Why this backend: what was tried before it and why that failed. */
  reason: string;
}

export interface BackendOptions {
  /** Folder holding tfjs-backend-wasm's .wasm files (beside the bundle once built). */
  wasmDir?: string;
  /** Extra places to load @tensorflow/tfjs-node-gpu from (e.g. the extension's global storage). */
  gpuModulePaths?: string[];
}

/**
 * Picks the fastest backend that works: `auto` tries tfjs-node-gpu, then WebAssembly (SIMD
 * where the runtime has it), then the pure-JavaScript cpu backend. Asking for one backend falls
 * back the same way if it cannot start, and the reason says so.
 */
export async function selectBackend(
  requested: BackendChoice,
  options: BackendOptions = {},
): Promise<BackendInfo> {
  if (!BACKEND_CHOICES.includes(requested)) {
    throw new Error(`Unknown backend "${requested}": use one of ${BACKEND_CHOICES.join(', ')}`);
  }
  // Production mode: no debug checks, and no console banner suggesting tfjs-node.
  tf.enableProdMode();
  const notes: string[] = [];
  const order: BackendChoice[] =
    requested === 'auto' || requested === 'gpu' ? ['gpu', 'wasm', 'cpu'] : [requested, 'cpu'];
  for (const candidate of [...new Set(order)]) {
    try {
      const label = await start(candidate, options);
      const reason =
        notes.length === 0
          ? `${requested === 'auto' ? 'fastest available' : 'as requested'}`
          : notes.join('; ');
      return { name: tf.getBackend(), label, requested, reason };
    } catch (err) {
      notes.push(
        candidate === 'gpu'
          ? gpuUnavailableReason(err)
          : `${candidate} unavailable: ${firstLine(err)}`,
      );
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${notes.join('; ')}`);
}

async function start(candidate: BackendChoice, options: BackendOptions): Promise<string> {
  switch (candidate) {
    case 'gpu':
      return startGpu(options.gpuModulePaths ?? []);
    case 'wasm':
      return startWasm(options.wasmDir);
    default:
      await setBackendOrThrow('cpu');
      return 'CPU (pure JavaScript)';
  }
}

/** tfjs-node-gpu is an optional dependency that often is not installed: any load error counts. */
async function startGpu(extraPaths: string[]): Promise<string> {
  let lastError: unknown = new Error('@tensorflow/tfjs-node-gpu is not installed');
  for (const base of [...extraPaths, undefined]) {
    try {
      const id = base
        ? require.resolve('@tensorflow/tfjs-node-gpu', { paths: [base] })
        : '@tensorflow/tfjs-node-gpu';
      // createRequire keeps bundlers from resolving (and failing on) the optional native module.
      createRequire(__filename)(id);
      await setBackendOrThrow('tensorflow');
      return 'GPU (tfjs-node-gpu)';
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startWasm(wasmDir?: string): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = wasmDir ?? findWasmDir();
  wasm.setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
  // The wasm module adds process-wide handlers that re-throw: in a host process the next
  // unhandled rejection from any code would then end the process. Remove what it adds.
  const before = {
    uncaughtException: new Set(process.listeners('uncaughtException')),
    unhandledRejection: new Set(process.listeners('unhandledRejection')),
  };
  try {
    await setBackendOrThrow('wasm');
  } finally {
    for (const l of process.listeners('uncaughtException')) {
      if (!before.uncaughtException.has(l)) process.removeListener('uncaughtException', l);
    }
    for (const l of process.listeners('unhandledRejection')) {
      if (!before.unhandledRejection.has(l)) process.removeListener('unhandledRejection', l);
    }
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return simd ? 'WebAssembly (SIMD)' : 'WebAssembly (no SIMD)';
}

function findWasmDir(): string {
  // Bundled (dist/, the .vsix): the .vsix has no node_modules, the files sit beside the bundle.
  if (existsSync(path.join(__dirname, WASM_PROBE))) return __dirname;
  // Run from sources (tests, tsx): the installed package.
  const dir = path.join(
    path.dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm')),
  );
  if (existsSync(path.join(dir, WASM_PROBE))) return dir;
  throw new Error(`tfjs-backend-wasm .wasm files not found beside ${__dirname} or in ${dir}`);
}

const WASM_PROBE = 'tfjs-backend-wasm-simd.wasm';

async function setBackendOrThrow(name: string): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (err) {
    if (name !== 'cpu') await tf.setBackend('cpu'); // a failed setBackend leaves tfjs pointing at it
    throw err;
  }
  if (!ok || tf.getBackend() !== name) {
    if (name !== 'cpu') await tf.setBackend('cpu');
    throw new Error(`tf.setBackend('${name}') failed`);
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 300);
}
