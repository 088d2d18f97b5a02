// Bundles with esbuild: the Node side (CLI, extension host, training worker) and one browser
// bundle per webview panel; copies the tfjs .wasm binaries that load beside the Node bundles.
// Usage: node scripts/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { copyWasm, nodeBundleOptions } from './buildOptions.mjs';

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
    heads: 'webview/heads/main.ts',
  }).filter(([, src]) => existsSync(src)),
);

const nodeOptions = nodeBundleOptions(nodeEntries, 'dist');

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

copyWasm('dist');
const builds = [nodeOptions, ...(Object.keys(webviewEntries).length ? [webviewOptions] : [])];
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(
    `built ${Object.keys(nodeEntries).join(', ')}; webviews: ${Object.keys(webviewEntries).join(', ') || 'none'}`,
  );
}
