/**
 * Seed study (issue 15, item 2): do our runs end where the book's PyTorch code ends, seed for
 * seed? Trains every (side, layers, seed) of the plan one run at a time under `nice -n 19` (`--nice`),
 * scores each model on the book's four seed sentences and on a held-out window of the corpus,
 * and writes every run to a JSON file (a re-run skips the runs already there) and the
 * distributions to a markdown table. Only losses and BLEU are recorded: on a shared machine the
 * wall times mean nothing.
 *
 *   npm run build && npx tsx scripts/seedStudy.ts [--seeds 0,1,2,3,4] [--layers 4,2]
 *       [--sides torch,ts2] [--extra-sides ts1] [--epochs 200] [--check-epochs 20] [--no-check]
 *       [--short-epochs 40 --short-layers 4]   (0: none)
 *       [--held-out-from 10000] [--held-out-count 1000] [--data FILE]
 *       [--results bench/seed-study.json] [--markdown bench/seed-study.md] [--report-only]
 *       [--nice 19] [--attention dotProduct|additive]
 *
 * Sides: `torch` = test/reference/train_book.py (the book's code, 1 thread, OpenBLAS; the
 * OPENBLAS_CORETYPE/L2_SIZE this machine sets are removed for it), `ts2` / `ts1` =
 * `node dist/cli.js train --threads 2|1`. Decoding is greedy with the correct decoder positions
 * on both sides (`--pos-mode correct`, the CLI's default). Both sides' translations are scored
 * by the same TypeScript BLEU (src/decode/bleu.ts). The check runs (dropout 0, seed 0,
 * --check-epochs epochs) train the same model on one and on two threads (without dropout the
 * two-thread step is the one-thread step up to float rounding), and the book's code twice, the
 * second time with its learning rate times 1 + 1e-6: how far runs that differ only by rounding
 * drift apart. `--attention additive` (the chapter's exercise 2) runs the plan with additive
 * attention in every layer on both sides (`train_book.py --attention additive`, `cli.js train
 * --attention additive`); its runs carry `attention: 'additive'` in their keys and report rows.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { readCorpusFile } from '../src/data/corpus';
import { SEED_PAIRS } from '../src/decode/seedSentences';
import { RunSpec, StudyRun, runKey, studyMarkdown } from './seedStudyReport';
import { heldOutPairs, scoreHeldOut, seedScores } from './seedStudyScore';

const ROOT = path.resolve(__dirname, '..');

interface Options {
  data: string;
  text: string;
  heldOutFrom: number;
  heldOutCount: number;
}

/**
 * The plan, cheapest and most telling first: the one- against two-thread checks (dropout 0,
 * `checkEpochs` epochs, seed 0); the default run (the regression guard's); `shortEpochs`-epoch runs of every seed of `sides` at the depths
 * `shortLayers` (a distribution in a fifth of the time); then for each depth (4 first: the open
 * question) and seed one run of every side in `sides` (the distributions grow evenly if the
 * study is stopped), then the same for `extraSides`.
 */
export function studyPlan(a: {
  seeds: number[];
  layers: number[];
  sides: string[];
  extraSides: string[];
  epochs: number;
  checkEpochs: number | null;
  shortEpochs?: number | null;
  shortLayers?: number[];
  attention?: RunSpec['attention'];
}): RunSpec[] {
  const plan: RunSpec[] = [];
  // Dot-product runs carry no attention field: their keys stay those of the runs on file.
  const attention = a.attention === 'additive' ? { attention: a.attention } : {};
  const each = (layers: number[], sides: string[], epochs: number) => {
    for (const L of layers) {
      for (const seed of a.seeds) {
        for (const side of sides) {
          plan.push({ ...sideSpec(side), layers: L, seed, epochs, dropout: 0.1, ...attention });
        }
      }
    }
  };
  if (a.checkEpochs) {
    const check = { seed: 0, epochs: a.checkEpochs, dropout: 0, ...attention };
    for (const layers of a.layers) {
      for (const threads of [1, 2] as const) plan.push({ side: 'ts', threads, layers, ...check });
    }
    if (a.sides.includes('torch')) {
      // The book's code has no second thread to compare; a rounding-level change of its learning
      // rate shows how far two of its runs drift apart when only the rounding differs.
      const layers = Math.max(...a.layers);
      for (const lrScale of [1, 1 + 1e-6]) {
        plan.push({ side: 'torch', threads: 1, layers, ...check, lrScale });
      }
    }
  }
  // The default run (2 layers, 2 threads, seed 0) early: it must end at the regression guard's loss.
  const guard = a.layers.includes(2) && a.sides.includes('ts2') && a.seeds.includes(0);
  if (guard && a.attention !== 'additive') {
    plan.push({ side: 'ts', threads: 2, layers: 2, seed: 0, epochs: a.epochs, dropout: 0.1 });
  }
  if (a.shortEpochs) each(a.shortLayers ?? a.layers, a.sides, a.shortEpochs);
  each(a.layers, a.sides, a.epochs);
  each(a.layers, a.extraSides, a.epochs);
  return plan.filter((s, i) => plan.findIndex((t) => runKey(t) === runKey(s)) === i);
}

function sideSpec(side: string): Pick<RunSpec, 'side' | 'threads'> {
  if (side === 'torch') return { side: 'torch', threads: 1 };
  if (side === 'ts1' || side === 'ts2') return { side: 'ts', threads: side === 'ts1' ? 1 : 2 };
  throw new Error(`unknown side ${side}: torch, ts1 or ts2`);
}

/**
 * The niceness of every run (`--nice`, 19 by default). On a machine other sessions keep busy,
 * nice 19 starves the study; 0 lets it finish (the load changes no loss or BLEU, only the time).
 */
let niceness = '19';

/** Runs `cmd args` at `niceness`; resolves with its stdout (rejects with its stderr's tail). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', niceness, cmd, ...args], { cwd: ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`));
    });
  });
}

/** A trainer that ignored `--attention` would put its runs in the wrong rows: refuse them. */
function checkAttention(spec: RunSpec, trained: unknown, who: string): void {
  const asked = spec.attention ?? 'dotProduct';
  if (trained !== asked)
    throw new Error(`${who} trained ${String(trained)} attention, not ${asked}`);
}

async function runTorch(spec: RunSpec, o: Options): Promise<StudyRun> {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // set on this machine; they slow a current OpenBLAS
  delete env.OPENBLAS_L2_SIZE;
  const out = await run(
    '/usr/bin/python3',
    ['test/reference/train_book.py', '--data', o.data, '--epochs', String(spec.epochs)]
      .concat(['--threads', String(spec.threads), '--seed', String(spec.seed)])
      .concat(['--layers', String(spec.layers), '--pos-mode', 'correct'])
      .concat(['--dropout', String(spec.dropout), '--lr-scale', String(spec.lrScale ?? 1)])
      .concat(['--attention', spec.attention ?? 'dotProduct'])
      .concat([
        '--held-out-from',
        String(o.heldOutFrom),
        '--held-out-count',
        String(o.heldOutCount),
      ]),
    env,
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as {
    loss: number;
    translations: string[];
    history: [number, number][];
    heldOut: { sources: string[]; translations: string[] };
    blas: string[] | null;
    attention: string;
  };
  checkAttention(spec, r.attention, 'train_book.py');
  const ref = heldOutPairs(o.text, o.heldOutFrom, o.heldOutCount);
  if (JSON.stringify(r.heldOut.sources) !== JSON.stringify(ref.sources)) {
    throw new Error('train_book.py translated other held-out sentences than the study scores');
  }
  return {
    ...spec,
    loss: r.loss,
    history: r.history,
    seedTranslations: r.translations,
    seedBleu: seedScores(r.translations),
    heldOut: scoreHeldOut(r.heldOut.translations, ref.references),
    peer: { blas: r.blas },
  };
}

async function runOurs(spec: RunSpec, o: Options): Promise<StudyRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tae-seed-study-'));
  try {
    const train = await run(process.execPath, [
      ...[
        'dist/cli.js',
        'train',
        '--data',
        o.data,
        '--out',
        dir,
        '--threads',
        String(spec.threads),
      ],
      ...['--layers', String(spec.layers), '--seed', String(spec.seed)],
      ...['--epochs', String(spec.epochs), '--dropout', String(spec.dropout), '--progress', '0'],
      ...['--attention', spec.attention ?? 'dotProduct'],
    ]);
    const lines = train.trim().split('\n');
    const final = JSON.parse(lines.pop()!) as { loss: number; backend: string };
    const history = lines
      .map((l) => /^epoch (\d+)\/\d+ {2}loss ([\d.]+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
    const seedTranslations = SEED_PAIRS.map(([src]) => {
      const line = lines.find((l) => l.startsWith(`${src} => `));
      if (!line) throw new Error(`no translation of "${src}" in the CLI's output`);
      return line.slice(src.length + 4).replace(/, bleu [\d.]+$/, '');
    });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as {
      hyperparameters: { attentionFunction: string };
    };
    checkAttention(spec, manifest.hyperparameters.attentionFunction, 'cli.js train');
    const ref = heldOutPairs(o.text, o.heldOutFrom, o.heldOutCount);
    const translations = ref.sources.length
      ? await translateWith(dir, ref.sources)
      : ([] as string[]);
    return {
      ...spec,
      loss: final.loss,
      history,
      seedTranslations,
      seedBleu: seedScores(seedTranslations),
      heldOut: scoreHeldOut(translations, ref.references),
      peer: { backend: final.backend },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Greedy translations by the saved model (correct positions), one process for all lines. */
async function translateWith(dir: string, sources: string[]): Promise<string[]> {
  const list = path.join(dir, 'sources.json');
  writeFileSync(list, JSON.stringify(sources));
  const out = await run(process.execPath, [
    ...['--require', 'tsx/cjs', path.join(__dirname, 'seedStudyTranslate.ts'), dir, list],
  ]);
  return JSON.parse(out.trim().split('\n').pop()!) as string[];
}

function loadResults(file: string): StudyRun[] {
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: StudyRun[] }).runs
    : [];
}

/** Writes the runs and the report, formatted as the repository's Prettier check wants them. */
async function save(file: string, md: string, runs: StudyRun[], o: Options): Promise<void> {
  const data = path.relative(ROOT, o.data);
  const meta = { heldOut: { from: o.heldOutFrom, count: o.heldOutCount }, data };
  const write = async (target: string, text: string) => {
    const config = (await prettier.resolveConfig(target)) ?? {};
    writeFileSync(target, await prettier.format(text, { ...config, filepath: target }));
  };
  await write(file, JSON.stringify({ ...meta, runs }));
  await write(md, studyMarkdown(runs, meta.heldOut));
}

const OPTIONS = {
  seeds: { type: 'string', default: '0,1,2,3,4' },
  layers: { type: 'string', default: '4,2' },
  sides: { type: 'string', default: 'torch,ts2' },
  'extra-sides': { type: 'string', default: 'ts1' },
  epochs: { type: 'string', default: '200' },
  'check-epochs': { type: 'string', default: '20' },
  'short-epochs': { type: 'string', default: '40' },
  'short-layers': { type: 'string', default: '4' },
  'no-check': { type: 'boolean', default: false },
  'held-out-from': { type: 'string', default: '10000' },
  'held-out-count': { type: 'string', default: '1000' },
  data: { type: 'string', default: path.join(ROOT, '../shared/data/fra-eng/fra.txt') },
  results: { type: 'string', default: path.join(ROOT, 'bench/seed-study.json') },
  markdown: { type: 'string', default: path.join(ROOT, 'bench/seed-study.md') },
  'report-only': { type: 'boolean', default: false },
  nice: { type: 'string', default: '19' },
  attention: { type: 'string', default: 'dotProduct' },
} as const;

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: OPTIONS });
  niceness = String(Number(v.nice));
  if (v.attention !== 'dotProduct' && v.attention !== 'additive') {
    throw new Error(`--attention ${v.attention}: dotProduct or additive`);
  }
  const nums = (s: string) => s.split(',').map(Number);
  const o: Options = {
    data: v.data,
    text: readCorpusFile(v.data),
    heldOutFrom: Number(v['held-out-from']),
    heldOutCount: Number(v['held-out-count']),
  };
  const runs = loadResults(v.results);
  const plan = studyPlan({
    seeds: nums(v.seeds),
    layers: nums(v.layers),
    sides: v.sides.split(','),
    extraSides: v['extra-sides'] ? v['extra-sides'].split(',') : [],
    epochs: Number(v.epochs),
    checkEpochs: v['no-check'] ? null : Number(v['check-epochs']),
    shortEpochs: Number(v['short-epochs']) || null,
    shortLayers: nums(v['short-layers']),
    attention: v.attention,
  });
  const todo = v['report-only']
    ? []
    : plan.filter((s) => !runs.some((r) => runKey(r) === runKey(s)));
  console.error(`${runs.length} runs on file, ${todo.length} to go`);
  for (const spec of todo) {
    console.error(`run ${runKey(spec)} …`);
    const r = spec.side === 'torch' ? await runTorch(spec, o) : await runOurs(spec, o);
    console.error(
      `  loss ${r.loss}, seed BLEU ${r.seedBleu.map((b) => b.toFixed(3)).join(' / ')}, ` +
        `held-out BLEU-2 ${r.heldOut.meanBleu2.toFixed(4)}`,
    );
    runs.push(r);
    await save(v.results, v.markdown, runs, o);
  }
  await save(v.results, v.markdown, runs, o);
  console.log(readFileSync(v.markdown, 'utf8'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
