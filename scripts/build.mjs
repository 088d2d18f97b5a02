// Bundles the Node entry points with esbuild and copies tfjs's .wasm binaries beside them.
// Usage: node scripts/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');

/** Node-side bundles: the CLI (and later the extension host and its training worker). */
const nodeEntries = { cli: 'src/cli.ts' };

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
  logLevel: 'info',
};

function copyWasm() {
  const from = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  mkdirSync('dist', { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith('.wasm'))) {
    copyFileSync(join(from, f), join('dist', f));
  }
}

copyWasm();
if (watch) {
  const ctx = await esbuild.context(nodeOptions);
  await ctx.watch();
} else {
  await esbuild.build(nodeOptions);
}
