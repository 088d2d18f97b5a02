/**
 * The bench's training worker as the extension ships its workers: bundled by esbuild with
 * scripts/buildOptions.mjs (tfjs-core, its gradients and the cpu and wasm backends; the unused
 * tfjs packages left out), the two-thread helper (parallelWorker.js) and the .wasm files beside
 * it. Run from sources through tsx instead, every thread also loads and compiles the whole
 * @tensorflow/tfjs union package (layers, converter, data, webgl) and tsx itself, which the
 * memory figures of the large mode would count (see docs/performance.md, the whole corpus).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..');

interface BuildOptionsModule {
  nodeBundleOptions(entryPoints: Record<string, string>, outdir: string): esbuild.BuildOptions;
  copyWasm(outdir: string, root?: string): void;
}

/** Bundles scripts/benchWorker.ts and the helper into a fresh temporary folder: the worker's path. */
export async function bundleBenchWorker(): Promise<string> {
  const options = (await import(
    pathToFileURL(path.join(ROOT, 'scripts', 'buildOptions.mjs')).href
  )) as BuildOptionsModule;
  const outdir = mkdtempSync(path.join(tmpdir(), 'tae-bench-'));
  await esbuild.build({
    ...options.nodeBundleOptions(
      {
        benchWorker: path.join(ROOT, 'scripts', 'benchWorker.ts'),
        parallelWorker: path.join(ROOT, 'src', 'train', 'parallelWorker.ts'),
      },
      outdir,
    ),
    sourcemap: false,
  });
  options.copyWasm(outdir, ROOT);
  return path.join(outdir, 'benchWorker.js');
}
