// esbuild options of the Node-side bundles (dist/), shared by scripts/build.mjs and the tests
// that bundle in memory (test/unit/bundle.test.ts, test/unit/cli.test.ts), so that what they
// check is what ships.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Packages that `@tensorflow/tfjs` (imported by src/model/tf.ts for its gradients) requires but
 * that never run here: models are our own code (no layers, no converter, no tf.data), training
 * runs on cpu/wasm/tfjs-node-gpu (no webgl), and node-fetch (with tr46, whatwg-url) is tfjs-core's
 * fallback for a Node without a global fetch, which Node >= 18 has and which nothing here calls.
 * Each is bundled as an empty module: the worker bundles went from 4.9 MB to 1.9 MB.
 */
export const UNUSED_PACKAGES = [
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-backend-webgl',
  'node-fetch',
];

const unusedPattern = new RegExp(
  `^(${UNUSED_PACKAGES.map((p) => p.replace(/[/.-]/g, '\\$&')).join('|')})$`,
);

/** esbuild plugin: every import of an UNUSED_PACKAGES entry gets `{}`. */
export const leaveOutUnused = {
  name: 'leave-out-unused',
  setup(build) {
    build.onResolve({ filter: unusedPattern }, (args) => ({
      path: args.path,
      namespace: 'unused',
    }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({
      contents: 'module.exports = {};',
      loader: 'js',
    }));
  },
};

/** Options for the Node bundles (CLI, extension host, training workers). */
export function nodeBundleOptions(entryPoints, outdir) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    // vscode is provided by the host; tfjs-node-gpu is optional and loaded at run time if present.
    external: ['vscode', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
    plugins: [leaveOutUnused],
    logLevel: 'warning',
  };
}

/**
 * The tfjs-backend-wasm binaries that load in Node: with SIMD, and without for runtimes that lack
 * it. The third, -threaded-simd.wasm, never loads (tfjs turns wasm threads off in Node).
 */
export const WASM_FILES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'];

/** Copies WASM_FILES from the installed package into `outdir` (beside the bundles). */
export function copyWasm(outdir, root = '.') {
  const from = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const available = readdirSync(from);
  mkdirSync(outdir, { recursive: true });
  for (const f of WASM_FILES) {
    if (!available.includes(f)) throw new Error(`${f} is missing from ${from}`);
    copyFileSync(join(from, f), join(outdir, f));
  }
}
