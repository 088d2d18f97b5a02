/**
 * What goes into the bundles. The extension host must stay light: activation may not load
 * TensorFlow.js (it lives in the worker thread only). The worker bundles and the CLI carry only
 * what runs: tfjs-core with its gradients and the cpu and wasm backends. Bundles in memory (or
 * into a temporary folder) with scripts/buildOptions.mjs, as scripts/build.mjs does.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { TempDirs } from '../helpers/tempDir';

const ROOT = path.resolve(__dirname, '..', '..');

interface BuildOptionsModule {
  nodeBundleOptions(entryPoints: Record<string, string>, outdir: string): esbuild.BuildOptions;
  UNUSED_PACKAGES: string[];
}

const buildOptions = (): Promise<BuildOptionsModule> =>
  import(pathToFileURL(path.join(ROOT, 'scripts', 'buildOptions.mjs')).href);

/** The packages (by node_modules folder) a bundle of `entry` takes in, and its size. */
async function bundled(entry: string): Promise<{ packages: Set<string>; bytes: number }> {
  const { nodeBundleOptions } = await buildOptions();
  const result = await esbuild.build({
    ...nodeBundleOptions({ out: path.join(ROOT, entry) }, path.join(ROOT, 'out-in-memory')),
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const packages = new Set(
    Object.keys(result.metafile.inputs).map(
      (f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? '(own code)',
    ),
  );
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  assert.ok(js, 'a .js output');
  return { packages, bytes: js.contents.length };
}

describe('bundles', function () {
  this.timeout(120_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('the extension host bundle does not include TensorFlow.js or the model', async () => {
    const result = await esbuild.build({
      entryPoints: ['src/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      external: ['vscode'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.deepEqual(
      inputs.filter((f) => f.includes('@tensorflow') || f.startsWith('src/model/')),
      [],
    );
    assert.ok(inputs.includes('src/host/trainingController.ts'), 'sanity: the host code is there');
  });

  for (const entry of [
    'src/worker/trainingWorker.ts',
    'src/train/parallelWorker.ts',
    'src/cli.ts',
  ]) {
    it(`${entry}: tfjs-core, its gradients and the cpu/wasm backends, nothing else of tfjs`, async () => {
      const { UNUSED_PACKAGES } = await buildOptions();
      const { packages, bytes } = await bundled(entry);
      for (const needed of [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs', // its CommonJS build registers the gradients and chained ops
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-backend-wasm',
      ])
        assert.ok(packages.has(needed), `${needed} is bundled`);
      const unused = [...UNUSED_PACKAGES, 'tr46', 'whatwg-url'];
      assert.deepEqual(
        [...packages].filter((p) => unused.includes(p)),
        [],
      );
      // 4.9 MB with all of @tensorflow/tfjs; 1.9 MB with what runs.
      assert.ok(bytes < 2.5e6, `${entry} bundles to ${(bytes / 1e6).toFixed(2)} MB`);
    });
  }

  it('bundled, src/model/tf.ts has the gradients and chained ops the model uses', async () => {
    // tfjs-core alone (under CommonJS) registers neither: tf.grad would throw "gradient function
    // not found for Square" and x.square would be undefined.
    const { nodeBundleOptions } = await buildOptions();
    const dir = temp.make('tae-bundle-');
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(
      entry,
      `import { tf } from ${JSON.stringify(path.join(ROOT, 'src', 'model', 'tf'))};
       const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, x)));
       const chained = tf.tensor([1, 2, 3]).square().sum();
       console.log(JSON.stringify([Array.from(g(tf.tensor([1, 2, 3])).dataSync()), chained.dataSync()[0]]));`,
    );
    await esbuild.build({ ...nodeBundleOptions({ entry }, dir), logLevel: 'silent' });
    const out = execFileSync(process.execPath, [path.join(dir, 'entry.js')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.deepEqual(JSON.parse(out), [[2, 4, 6], 14]);
  });
});
