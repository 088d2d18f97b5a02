/**
 * The extension host must stay light: activation may not load TensorFlow.js (it lives in the
 * worker thread only). Bundles src/extension.ts in memory and looks at what went in.
 */
import { strict as assert } from 'node:assert';
import * as esbuild from 'esbuild';

describe('extension host bundle', function () {
  this.timeout(60_000);

  it('does not include TensorFlow.js or the model', async () => {
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
});
