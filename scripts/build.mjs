// Bundles with esbuild: the Node side (CLI, extension host, training worker) and one browser
// bundle per webview panel; copies tfjs's .wasm binaries beside the Node bundles.
// Usage: node scripts/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');

/** Node-side bundles (only those whose source exists yet). */
const nodeEntries = Object.fromEntries(
  Object.entries({
    cli: 'src/cli.ts',
    extension: 'src/extension.ts',
    trainingWorker: 'src/worker/trainingWorker.ts',
    parallelWorker: 'src/train/parallelWorker.ts',
  }).filter(([, src]) => existsSync(src)),
);

/** Browser bundles for the webviews: media/dist/<panel>.js. */
const webviewEntries = Object.fromEntries(
  Object.entries({
    training: 'webview/training/main.ts',
    translation: 'webview/translation/main.ts',
    attention: 'webview/attention/main.ts',
    compare: 'webview/compare/main.ts',
  }).filter(([, src]) => existsSync(src)),
);

const nodeOptions = {
  entryPoints: nodeEntries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // vscode is provided by the host; tfjs-node-gpu is optional and loaded at run time if present.
  external: ['vscode', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  logLevel: 'warning',
};

const webviewOptions = {
  entryPoints: webviewEntries,
  outdir: 'media/dist',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: false,
  minify: true,
  logLevel: 'warning',
};

function copyWasm() {
  const from = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  mkdirSync('dist', { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith('.wasm'))) {
    copyFileSync(join(from, f), join('dist', f));
  }
}

copyWasm();
const builds = [nodeOptions, ...(Object.keys(webviewEntries).length ? [webviewOptions] : [])];
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(
    `built ${Object.keys(nodeEntries).join(', ')}; webviews: ${Object.keys(webviewEntries).join(', ') || 'none'}`,
  );
}
