/**
 * What people read about the optional GPU backend: why it did not start (plainly, not the raw
 * "Cannot find module" error), what it needs before it is installed (from the package's own
 * install constants when present), and which library a failed load missed.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  describeRequirements,
  GPU_PACKAGE_VERSION,
  gpuRequirements,
  gpuUnavailableReason,
  missingLibrary,
} from '../../src/backend/gpuHelp';
import { TempDirs } from '../helpers/tempDir';

/** The two constants as tfjs-node-gpu 4.22.0's scripts/deps-constants.js declares them. */
const CONSTANTS_4_22 = `const LIBTENSORFLOW_VERSION = '2.9.1';
const ALL_SUPPORTED_COMBINATION = [
  'cpu-darwin-x86_64', 'gpu-linux-x86_64', 'cpu-linux-x86_64',
  'cpu-windows-x86_64', 'gpu-windows-x86_64'
];`;

describe('GPU backend help', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  function fakePackage(constants: string): string {
    const dir = temp.make();
    mkdirSync(path.join(dir, 'scripts'));
    writeFileSync(path.join(dir, 'scripts', 'deps-constants.js'), constants);
    return dir;
  }

  it('pins the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    assert.equal(pkg.optionalDependencies['@tensorflow/tfjs-node-gpu'], GPU_PACKAGE_VERSION);
  });

  it("reads libtensorflow and the GPU platforms from the package's install constants", () => {
    const req = gpuRequirements(fakePackage(CONSTANTS_4_22.replace('2.9.1', '2.8.0')));
    assert.deepEqual(req, {
      libtensorflow: '2.8.0',
      platforms: ['Linux x64', 'Windows x64'],
      cuda: '11.2',
      cudnn: '8.1',
      source: 'package',
    });
  });

  it('falls back to what the pinned version documents when the package is absent', () => {
    const fromPackage = gpuRequirements(fakePackage(CONSTANTS_4_22));
    const documented = gpuRequirements(temp.make());
    assert.equal(documented.source, 'documented');
    assert.deepEqual({ ...documented, source: 'package' }, fromPackage);
    assert.equal(
      describeRequirements(documented),
      'tfjs-node-gpu 4.22.0 downloads a fixed libtensorflow 2.9.1 GPU build that loads only on ' +
        'Linux x64 or Windows x64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1 installed.',
    );
  });

  it('says plainly that the GPU backend is not installed, and how to install it', () => {
    const err = new Error(
      "Cannot find module '@tensorflow/tfjs-node-gpu'\nRequire stack:\n- /x/dist/trainingWorker.js",
    );
    const reason = gpuUnavailableReason(err);
    assert.match(reason, /^GPU backend not installed/);
    assert.match(reason, /Install GPU Backend/);
    assert.match(reason, /optional/);
    assert.doesNotMatch(reason, /Require stack|Cannot find module/);
  });

  it('names the missing library of a failed load instead of its stack trace', () => {
    const linux = new Error(
      'libcudnn.so.8: cannot open shared object file: No such file or directory\n    at Module._extensions..node',
    );
    assert.equal(missingLibrary(linux.message), 'libcudnn.so.8');
    assert.equal(
      gpuUnavailableReason(linux),
      'GPU backend installed but libcudnn.so.8 is missing (it needs CUDA 11.2 and cuDNN 8.1)',
    );
    assert.equal(
      missingLibrary(
        'Error: The specified module could not be found.\r\n\\\\?\\C:\\x\\cudart64_110.dll not found',
      ),
      'cudart64_110.dll',
    );
    assert.equal(missingLibrary('some other failure'), null);
  });
});
