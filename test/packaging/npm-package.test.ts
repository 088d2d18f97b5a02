/**
 * The command line as an npm package: `npm pack` makes the tarball (.npmignore: the CLI bundle and
 * the two .wasm files it loads), it installs into an empty folder with nothing to fetch (every
 * runtime dependency is bundled; the optional GPU backend left out), and
 * `npx transformer-attention-explorer` runs: --version, per-command help, a tiny training run
 * on the WebAssembly backend and a translation with its model.
 * Needs a build (npm run build): it packs dist/ as it is. scripts/test.sh runs it after the build.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { TempDirs } from '../helpers/tempDir';

const ROOT = path.resolve(__dirname, '..', '..');
const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** This process's environment without the npm_* variables an outer `npm test` sets. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, cache: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: 180_000,
        maxBuffer: 8 << 20,
        env: { ...cleanEnv, npm_config_cache: cache, npm_config_update_notifier: 'false' },
      },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        if (typeof code !== 'number') reject(err ?? new Error(`${command}: no exit code`));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

describe(`npm package: npx ${name} from a packed tarball`, function () {
  this.timeout(300_000);
  const temp = new TempDirs();
  let dir: string;
  let cache: string;
  let app: string;
  let packed: { files: { path: string }[]; filename: string };
  /** `npx <bin> ...args` in the folder the tarball was installed into, offline. */
  const npx = (...args: string[]) =>
    run('npx', ['--offline', '--no', '--', name, ...args], app, cache);

  before(async () => {
    for (const f of ['dist/cli.js', 'dist/tfjs-backend-wasm-simd.wasm']) {
      if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: npm run build`);
    }
    dir = temp.make('tae-npm-');
    cache = path.join(dir, 'npm-cache'); // empty: the install may not need the registry
    app = path.join(dir, 'app');
    fs.mkdirSync(app);
    // --ignore-scripts: not `prepack` (a build); this packs the build the tests run against.
    const pack = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
      ROOT,
      cache,
    );
    assert.equal(pack.code, 0, pack.stderr);
    [packed] = JSON.parse(pack.stdout);
  });
  after(() => temp.cleanup());

  it('holds the CLI bundle, the .wasm files it loads and the package pages, nothing else', () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/tfjs-backend-wasm-simd.wasm',
      'dist/tfjs-backend-wasm.wasm',
      'package.json',
    ]);
  });

  it('installs offline into an empty folder: no runtime dependency to fetch', async () => {
    const install = await run(
      'npm',
      [
        'install',
        '--offline',
        '--omit=optional', // tfjs-node-gpu: its install downloads libtensorflow
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        path.join(dir, packed.filename),
      ],
      app,
      cache,
    );
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, /added 1 package/);
  });

  it('--version prints the version; train --help its options under the bin name', async () => {
    const v = await npx('--version');
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, `${version}\n`);
    const help = await npx('train', '--help');
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: ${name} train --data FILE --out DIR`));
  });

  it('trains a tiny model on the WebAssembly backend and translates with it', async () => {
    const model = path.join(dir, 'model');
    const tiny = ['--examples', '20', '--epochs', '1', '--layers', '1', '--hidden', '8'];
    const small = ['--heads', '2', '--ffn', '8', '--batch', '10', '--steps', '6'];
    const train = await npx(
      'train',
      '--data',
      SHARED_FRA_TXT,
      '--out',
      model,
      ...tiny,
      ...small,
      '--backend',
      'wasm',
      '--threads',
      '1',
    );
    assert.equal(train.code, 0, train.stderr);
    const lines = train.stdout.trim().split('\n');
    // The .wasm binaries were found beside the installed bundle.
    assert.match(lines[0], /^backend: WebAssembly \(SIMD\) \(as requested\)$/);
    const summary = JSON.parse(lines[lines.length - 1]);
    assert.equal(summary.backend, 'wasm');
    assert.ok(Number.isFinite(summary.loss) && summary.loss > 0, String(summary.loss));
    const t = await npx('translate', '--model', model, '--backend', 'wasm', 'go .');
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^encoder self-attention \(layer, head, query, key\): 1 x 2 x /m);
  });
});
