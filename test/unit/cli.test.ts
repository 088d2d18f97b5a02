/**
 * The CLI end to end on a tiny model: train, translate, eval, and the exit codes of bad input
 * (2: usage, 1: failure). src/cli.ts is bundled as scripts/build.mjs bundles dist/cli.js, but
 * alone and into a temporary folder, so that other entry points being written (the extension,
 * webviews) cannot break this test and a concurrent build of dist/ is not disturbed.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { MANIFEST_FILE } from '../../src/checkpoint/checkpoint';
import { FLAGS } from '../../src/cli/args';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { parseMaskSpec } from '../../src/cli/maskSpec';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { greedyTranslate } from '../../src/decode/greedy';
import { headsOffMask } from '../../src/model/headMask';
import { SEED_PAIRS } from '../../src/decode/seedSentences';
import { INTEROP_FIXTURES } from '../helpers/interopFixtures';
import { SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { TempDirs } from '../helpers/tempDir';
import { RUN_METRICS_KEYS } from '../helpers/runRecords';

const ROOT = path.resolve(__dirname, '..', '..');
let CLI = '';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Runs `node dist/cli.js ...args` and collects its exit code and output. */
function cli(...args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ROOT, timeout: 40_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        if (typeof code !== 'number') {
          reject(err ?? new Error('no exit code'));
          return;
        }
        resolve({ code, stdout, stderr, lines: stdout.split('\n').filter((l) => l !== '') });
      },
    );
  });
}

/** Bundles src/cli.ts into `outdir` with dist/cli.js's esbuild options, .wasm files beside it. */
async function buildCli(outdir: string): Promise<string> {
  const build = await import(pathToFileURL(path.join(ROOT, 'scripts', 'buildOptions.mjs')).href);
  const options = build.nodeBundleOptions({ cli: path.join(ROOT, 'src', 'cli.ts') }, outdir);
  await esbuild.build({ ...options, sourcemap: false, logLevel: 'silent' });
  build.copyWasm(outdir, ROOT);
  return path.join(outdir, 'cli.js');
}

const TRAIN_FLAGS = [
  '--examples',
  '40',
  '--epochs',
  '3',
  '--hidden',
  '8',
  '--heads',
  '2',
  '--ffn',
  '16',
  '--layers',
  '1',
  '--steps',
  '8',
  '--backend',
  'cpu',
];

const SHAPE_LINE =
  /^(encoder self-attention|decoder self-attention|encoder-decoder attention) \(layer, head, query, key\): (\d+) x (\d+) x (\d+) x (\d+)$/;

describe('cli (src/cli.ts bundled as dist/cli.js is)', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let modelDir: string;
  let train: Result;

  before(async () => {
    CLI = await buildCli(temp.make('tae-cli-'));
    modelDir = path.join(temp.make(), 'model');
    train = await cli('train', '--data', SHARED_FRA_TXT, ...TRAIN_FLAGS, '--out', modelDir);
  });

  after(() => temp.cleanup());

  it('train prints progress, the seed sentences with BLEU, and a JSON summary', () => {
    assert.equal(train.code, 0, train.stderr);
    const { lines } = train;
    assert.equal(lines[0], 'backend: CPU (pure JavaScript) (as requested)');
    const epochs = lines.filter((l) => l.startsWith('epoch '));
    assert.equal(epochs.length, 3, 'one line per epoch when there are at most 20');
    epochs.forEach((line, i) =>
      assert.match(
        line,
        new RegExp(`^epoch ${i + 1}/3  loss \\d+\\.\\d{4}  \\d+ tokens/s  \\d+\\.\\d s$`),
      ),
    );
    const seeds = lines.filter((l) => l.includes(' => '));
    assert.deepEqual(
      seeds.map((l) => l.split(' => ')[0]),
      SEED_PAIRS.map(([src]) => src),
    );
    for (const line of seeds) {
      const m = /, bleu (\d\.\d{3})$/.exec(line);
      assert.ok(m, line);
      const b = Number(m[1]);
      assert.ok(b >= 0 && b <= 1, line);
    }
    assert.ok(lines.includes(`checkpoint: ${modelDir}`));
    const summary = JSON.parse(lines[lines.length - 1]);
    assert.deepEqual(Object.keys(summary).sort(), [
      'backend',
      'loss',
      'seconds',
      'tokensPerSecond',
    ]);
    assert.equal(summary.backend, 'cpu');
    for (const key of ['loss', 'tokensPerSecond', 'seconds']) {
      assert.ok(Number.isFinite(summary[key]) && summary[key] > 0, `${key}: ${summary[key]}`);
    }
    // The last epoch's printed loss is the summary's.
    assert.equal(epochs[2].split(/\s+/)[3], summary.loss.toFixed(4));
  });

  it('train --progress 0 prints every batch but the last of each epoch to stderr', async () => {
    const out = path.join(temp.make(), 'progress');
    const r = await cli(
      'train',
      '--data',
      SHARED_FRA_TXT,
      ...TRAIN_FLAGS,
      '--batch',
      '16',
      '--progress',
      '0',
      '--out',
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    const progress = r.stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((line) => {
        const m =
          /^batch (\d+)\/(\d+) of epoch (\d+)\/(\d+) {2}\d+ tokens\/s {2}\d+\.\d s {2}epoch ends in ~\d+ s$/.exec(
            line,
          );
        assert.ok(m, line);
        return m.slice(1, 5).map(Number);
      });
    // 41 pairs in batches of 16: 3 per epoch; the last one's epoch line follows on stdout.
    assert.deepEqual(
      progress,
      [1, 2, 3].flatMap((e) => [1, 2].map((d) => [d, 3, e, 3])),
    );
    assert.equal(r.lines.filter((l) => /^epoch \d\/3 {2}loss /.test(l)).length, 3);
  });

  it('exits 2 naming --progress when it is not a number of seconds', async () => {
    const r = await cli(
      'train',
      '--data',
      SHARED_FRA_TXT,
      '--out',
      temp.make(),
      '--progress',
      'soon',
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^--progress must be a number of seconds >= 0 \(got soon\)/);
  });

  it('train saves a checkpoint with the settings and metrics', () => {
    const m = JSON.parse(fs.readFileSync(path.join(modelDir, MANIFEST_FILE), 'utf8'));
    assert.deepEqual(fs.readdirSync(modelDir).sort(), [MANIFEST_FILE, m.weightsFile]);
    assert.equal(m.hyperparameters.numExamples, 40);
    assert.equal(m.metrics.pairs, 41, 'the book reads numExamples + 1 lines');
    assert.doesNotMatch(train.stderr, /warning/);
    assert.equal(m.hyperparameters.numLayers, 1);
    assert.equal(m.hyperparameters.numHiddens, 8);
    assert.equal(m.hyperparameters.numSteps, 8);
    assert.equal(m.metrics.backend, 'cpu');
    // The metrics the extension's worker saves too (RunMetrics): the seeds translated and
    // scored, no held-out pairs (the CLI scores none), the summary line's numbers.
    assert.deepEqual(Object.keys(m.metrics).sort(), RUN_METRICS_KEYS);
    assert.deepEqual(
      m.metrics.seeds.map(
        (s: { source: string; bleu: number }) => `${s.source} ${s.bleu.toFixed(3)}`,
      ),
      train.lines.filter((l) => l.includes(' => ')).map((l) => l.replace(/ => .*, bleu /, ' ')),
    );
    assert.equal(m.metrics.heldOut, null);
    assert.equal(m.metrics.loss, JSON.parse(train.lines[train.lines.length - 1]).loss);
    assert.deepEqual(fs.readdirSync(path.dirname(modelDir)), ['model'], 'no staging left');
  });

  it('train refuses an --out that is a project folder or a file, before training', async () => {
    const project = temp.make();
    fs.writeFileSync(path.join(project, 'a.txt'), 'notes');
    fs.mkdirSync(path.join(project, 'src'));
    const file = path.join(temp.make(), 'model.bin');
    fs.writeFileSync(file, 'mine');
    for (const [out, what] of [
      [project, /the folder holds 2 items that are not part of a checkpoint .*\(a\.txt, src\/\)/],
      [file, /it is a file, not a folder/],
    ] as const) {
      const r = await cli('train', '--data', SHARED_FRA_TXT, ...TRAIN_FLAGS, '--out', out);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /^error: Checkpoint .*: refusing to save a checkpoint here: /);
      assert.ok(r.stderr.includes(out), r.stderr);
      assert.match(r.stderr, what);
      assert.equal(r.stdout, '', 'nothing trained');
    }
    assert.deepEqual(fs.readdirSync(project).sort(), ['a.txt', 'src']);
    assert.equal(fs.readFileSync(path.join(project, 'a.txt'), 'utf8'), 'notes');
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine');
  });

  it('translate prints the translation and the three attention shapes', async () => {
    const r = await cli('translate', '--model', modelDir, '--backend', 'cpu', 'go .');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines.length, 4, r.stdout);
    // The same model and positions as the seed sentence "go ." after training.
    const seed = train.lines.find((l) => l.startsWith('go . => '))!;
    assert.equal(`go . => ${r.lines[0]}, `, seed.replace(/bleu \d\.\d{3}$/, ''));
    const shapes = r.lines.slice(1).map((l) => {
      const m = SHAPE_LINE.exec(l);
      assert.ok(m, l);
      return [m[1], ...m.slice(2).map(Number)];
    });
    assert.deepEqual(
      shapes.map((s) => s[0]),
      ['encoder self-attention', 'decoder self-attention', 'encoder-decoder attention'],
    );
    assert.equal(r.lines[1], 'encoder self-attention (layer, head, query, key): 1 x 2 x 8 x 8');
    const steps = shapes[1][3] as number;
    assert.ok(steps >= 1 && steps <= 8, `${steps} decoding steps`);
    assert.deepEqual(shapes[1].slice(1), [1, 2, steps, steps]);
    assert.deepEqual(shapes[2].slice(1), [1, 2, steps, 8]);
  });

  it('translate reports unknown words (book positions accepted)', async () => {
    const r = await cli(
      'translate',
      '--model',
      modelDir,
      '--backend',
      'cpu',
      '--positions',
      'book',
      'Go',
      'xylophonez!',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[1], 'unknown words (<unk>): xylophonez');
    assert.match(r.lines[2], /^encoder self-attention .*: 1 x 2 x 8 x 8$/);
  });

  it('eval prints one JSON line with count 20 and scores in [0, 1]', async () => {
    // Lines 41..60 (0-based) are the first pairs training did not read (it read lines 0..40).
    const r = await cli(
      'eval',
      '--model',
      modelDir,
      '--data',
      SHARED_FRA_TXT,
      '--from',
      '41',
      '--count',
      '20',
      '--backend',
      'cpu',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines.length, 1, r.stdout);
    const result = JSON.parse(r.lines[0]);
    assert.deepEqual(Object.keys(result).sort(), ['corpusBleu4', 'count', 'meanBleu2']);
    assert.equal(result.count, 20);
    for (const key of ['meanBleu2', 'corpusBleu4']) {
      assert.ok(result[key] >= 0 && result[key] <= 1, `${key}: ${result[key]}`);
    }
  });

  it('heads prints one JSON line: every head scored, with statistics, and the pruning curve', async () => {
    const base = ['--model', modelDir, '--data', SHARED_FRA_TXT, '--backend', 'cpu'];
    const r = await cli('heads', ...base, '--count', '20');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines.length, 1, r.stdout);
    const report = JSON.parse(r.lines[0]);
    assert.equal(report.count, 20);
    assert.equal(report.fromLine, 41, 'the pairs eval --from 41 reads');
    // One layer of two heads per kind; every head has its three scores and its statistics.
    assert.deepEqual(
      report.heads.map((h: { kind: string; head: number }) => `${h.kind}:${h.head}`),
      ['encoderSelf:0', 'encoderSelf:1', 'decoderSelf:0', 'decoderSelf:1'].concat([
        'encoderDecoder:0',
        'encoderDecoder:1',
      ]),
    );
    for (const h of report.heads) {
      for (const key of ['bleuDrop', 'lossIncrease', 'gradient'])
        assert.ok(Number.isFinite(h[key]));
      assert.ok(h.stats.rows > 0 && h.stats.normalizedEntropy <= 1 + 1e-9);
    }
    assert.equal(report.pruning.length, 7);
    // Its baseline BLEU is the run's held-out BLEU on the same pairs: eval's meanBleu2.
    const evalLine = await cli('eval', ...base, '--from', '41', '--count', '20');
    assert.ok(Math.abs(report.baseline.bleu - JSON.parse(evalLine.lines[0]).meanBleu2) < 1e-9);
    const bad = await cli('heads', ...base, '--count', '0');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--count must be a whole number >= 1/);
  });

  it("translate and eval take a .pt the book's PyTorch code saved; a hostile one exits 1", async () => {
    const pt = path.join(INTEROP_FIXTURES, 'book-trained.pt');
    const r = await cli('translate', '--model', pt, '--backend', 'cpu', "I'm home.");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[0], 'je suis chez moi .'); // PyTorch's translation (roundtrip.json)
    assert.equal(r.lines[1], 'encoder self-attention (layer, head, query, key): 2 x 4 x 10 x 10');
    const e = await cli(
      ...['eval', '--model', pt, '--data', SHARED_FRA_TXT, '--from', '0', '--count', '5'],
      ...['--backend', 'cpu'],
    );
    assert.equal(e.code, 0, e.stderr);
    assert.equal(JSON.parse(e.lines[0]).count, 5);
    const bad = await cli(
      'translate',
      '--model',
      path.join(INTEROP_FIXTURES, 'os-system.pt'),
      'go .',
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /os-system\.pt: the pickle asks for posix\.system, which is refused/);
  });

  it('exits 2 naming numHeads when the heads do not divide the width', async () => {
    const out = path.join(temp.make(), 'never');
    const r = await cli(
      'train',
      '--data',
      SHARED_FRA_TXT,
      '--out',
      out,
      '--heads',
      '3',
      '--hidden',
      '8',
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /numHiddens \(8\) must be divisible by numHeads \(3\)/);
    assert.match(r.stderr, /Usage:/);
    assert.equal(r.stdout, '');
    assert.equal(fs.existsSync(out), false);
  });

  it('exits 2 naming the flag when a number flag is not a number', async () => {
    const r = await cli('train', '--data', SHARED_FRA_TXT, '--out', temp.make(), '--heads', 'abc');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^--heads \(numHeads\) must be a number \(got "abc"\)/);
  });

  it('exits 2 naming --attention when it is not dotProduct or additive', async () => {
    const r = await cli(
      'train',
      '--data',
      SHARED_FRA_TXT,
      '--out',
      temp.make(),
      '--attention',
      'dot',
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^--attention \(attentionFunction\) must be dotProduct or additive \(got "dot"\)/,
    );
  });

  it('train --attention additive trains and saves an additive model that translates', async () => {
    const dir = path.join(temp.make(), 'additive');
    const r = await cli(
      'train',
      '--data',
      SHARED_FRA_TXT,
      ...TRAIN_FLAGS,
      '--attention',
      'additive',
      '--out',
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.lines.includes('attention: additive'), r.stdout);
    assert.ok(r.lines.includes('threads: 1'), r.stdout);
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
    assert.equal(m.hyperparameters.attentionFunction, 'additive');
    const names = (m.weights as { name: string }[]).map((w) => w.name);
    assert.ok(names.includes('encoder.blks.block0.attention.attention.W_k.weight'));
    const t = await cli('translate', '--model', dir, '--backend', 'cpu', 'go .');
    assert.equal(t.code, 0, t.stderr);
    assert.equal(t.lines[1], 'encoder self-attention (layer, head, query, key): 1 x 2 x 8 x 8');
  });

  const translateMasked = (spec: string) =>
    cli('translate', '--model', modelDir, '--backend', 'cpu', '--mask', spec, 'go .');

  it('translate --mask switches those heads off: the translation greedyTranslate gives with them off', async () => {
    const spec = 'enc:1:2,dec:1:1,cross:1:1,cross:1:2';
    const r = await translateMasked(spec);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[1], 'heads off: enc:1:2, dec:1:1, cross:1:1, cross:1:2');
    const ck = await loadCheckpoint(modelDir);
    try {
      const off = parseMaskSpec(spec);
      const t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, 'go .', {
        numSteps: ck.hyperparameters.numSteps,
        headMask: headsOffMask(ck.hyperparameters, off),
      });
      assert.equal(r.lines[0], t.translation);
    } finally {
      ck.model.dispose();
    }
  });

  it('translate --mask: a bad spec or a head the model lacks exits 2 naming it', async () => {
    const cases: [string, RegExp][] = [
      ['enc:1', /--mask: "enc:1" is not kind:layer:head/],
      ['self:1:1', /--mask: kind "self" in "self:1:1" must be enc, dec or cross/],
      ['enc:0:1', /--mask: the layer in "enc:0:1" must be a whole number >= 1 \(got "0"\)/],
      ['cross:1:3', /--mask: cross:1:3 is not a head of this model \(1 layers of 2 heads/],
      ['', /--mask needs heads/],
    ];
    for (const [spec, message] of cases) {
      const r = await translateMasked(spec);
      assert.equal(r.code, 2, `${spec}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', spec);
    }
  });

  it('exits 2 for an empty sentence, an unknown command or a missing flag', async () => {
    const empty = await cli('translate', '--model', modelDir, '   ');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /Give the sentence to translate/);
    const unknown = await cli('fly');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "fly"/);
    const noModel = await cli('eval', '--data', SHARED_FRA_TXT, '--from', '1', '--count', '2');
    assert.equal(noModel.code, 2);
    assert.match(noModel.stderr, /--model is required/);
  });

  it('train --examples beyond the corpus warns and records the pairs it trained on', async () => {
    const corpus = path.join(temp.make(), 'fra-30.txt');
    const lines = fs.readFileSync(SHARED_FRA_TXT, 'utf8').split('\n').slice(0, 30);
    fs.writeFileSync(corpus, lines.join('\n') + '\n');
    const out = path.join(temp.make(), 'short');
    const flags = [...TRAIN_FLAGS];
    flags[flags.indexOf('--examples') + 1] = '100';
    const r = await cli('train', '--data', corpus, ...flags, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: --examples is 100 but the corpus has only 30 pairs; all 30 are used$/m,
    );
    const m = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8'));
    assert.equal(m.metrics.pairs, 30);
  });

  describe('arguments: every mistake exits 2 with the usage; --help and --version exit 0', () => {
    const usageError = async (args: string[], message: RegExp) => {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /\n\nUsage:\n {2}cli\.js train /);
      assert.equal(r.stdout, '');
    };

    it('an unknown flag', () => usageError(['train', '--bogus'], /Unknown option '--bogus'/));

    it('a negative number taken for a flag', () =>
      usageError(
        ['train', '--data', SHARED_FRA_TXT, '--epochs', '-1'],
        /Option '--epochs' argument is ambiguous/,
      ));

    it('a flag without its value', () =>
      usageError(['train', '--data', SHARED_FRA_TXT, '--out'], /argument missing/));

    it('--help and -h print the usage on stdout', async () => {
      for (const args of [['--help'], ['-h'], ['help']]) {
        const r = await cli(...args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, /^Usage:\n {2}cli\.js train --data FILE --out DIR/);
        assert.match(r.stdout, /cli\.js COMMAND --help/);
        assert.equal(r.stderr, '');
      }
    });

    it('each command has its own help: train --help, --help train, help train', async () => {
      const pages = {
        train: /^Usage: cli\.js train --data FILE --out DIR \[options\]\n/,
        translate: /^Usage: cli\.js translate --model DIR\|FILE \[options\] "sentence"\n/,
        eval: /^Usage: cli\.js eval --model DIR\|FILE --data FILE --from N --count M \[options\]\n/,
      };
      for (const [command, page] of Object.entries(pages)) {
        for (const args of [
          [command, '--help'],
          ['--help', command],
          ['help', command],
        ]) {
          const r = await cli(...args);
          assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
          assert.match(r.stdout, page, args.join(' '));
          assert.match(r.stdout, /--backend B/);
          assert.equal(r.stderr, '');
        }
      }
    });

    it('train --help names every hyperparameter flag with the default that runs', async () => {
      const r = await cli('train', '--help');
      for (const [flag, key] of Object.entries(FLAGS)) {
        const value = DEFAULT_HYPERPARAMETERS[key];
        assert.match(r.stdout, new RegExp(`\\n {2}--${flag} \\w .*\\(${value}\\)\\n`), flag);
      }
      for (const flag of [
        'data',
        'out',
        'attention',
        'backend',
        'threads',
        'progress',
        'positions',
      ])
        assert.match(r.stdout, new RegExp(`\\n {2}--${flag} `), flag);
    });

    it('help for a command that does not exist is a usage error', () =>
      usageError(['help', 'trian'], /^No help for "trian": there is no such command\n/));

    it('--version and -V print the version from package.json', async () => {
      const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      for (const flag of ['--version', '-V']) {
        const r = await cli(flag);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `${version}\n`);
      }
    });
  });

  describe('control characters from the input are escaped, never written raw', () => {
    // ESC (colours, clears the screen), BEL, C1 CSI, CR, and a right-to-left override.
    const HOSTILE = 'go \x1b[2J\x07\u009b31m\rx\u202e .';
    // eslint-disable-next-line no-control-regex -- finding raw control characters is the test
    const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;

    it('in a sentence, its unknown tokens and the translation', async () => {
      const r = await cli('translate', '--model', modelDir, '--backend', 'cpu', HOSTILE);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, RAW);
      // Tokenising lower-cases the sentence and splits it at the CR.
      assert.match(r.lines[1], /^unknown words \(<unk>\): .*\\x1b\[2j\\x07\\x9b31m x\\u202e/);
    });

    it('in file names and error messages', async () => {
      const missing = path.join(temp.make(), 'no\x1b]0;title\x07model');
      const r = await cli('translate', '--model', missing, '--backend', 'cpu', 'go .');
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stderr, RAW);
      assert.ok(r.stderr.includes('no\\x1b]0;title\\x07model'), r.stderr);
      const unknown = await cli('fl\x1b[31my');
      assert.equal(unknown.code, 2);
      assert.doesNotMatch(unknown.stderr, RAW);
      assert.match(unknown.stderr, /^Unknown command "fl\\x1b\[31my"/);
    });
  });

  it('exits 1 with a clear message when the --model directory has no checkpoint', async () => {
    const missing = path.join(temp.make(), 'no-such-model');
    const r = await cli('translate', '--model', missing, '--backend', 'cpu', 'go .');
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `error: Checkpoint ${missing}: no checkpoint.json (no model has been saved here)`,
    );
    assert.equal(r.stdout, '');
  });
});
