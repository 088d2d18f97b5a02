/**
 * The bench's peer: the book's PyTorch code (test/reference/train_book.py), run fairly.
 *
 * Debian's python3-torch links the generic libblas.so.3, which the alternatives system points at
 * OpenBLAS when `libopenblas0-pthread` is installed and at the slow reference BLAS otherwise. The
 * bench checks which one it is before the peer runs: without OpenBLAS it stops with the command
 * that installs it, or installs it itself when run with --install-openblas (apt-get, through sudo
 * when not root). The machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which slow a current
 * OpenBLAS down; they are removed from the peer's environment only (never from tests or CI).
 * The peer reports the BLAS it loaded (from its /proc/self/maps), which the bench prints.
 */
import { spawn, spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { BenchEvent } from '../benchWorker';

const ROOT = path.resolve(__dirname, '../..');
const GENERIC_BLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';
const INSTALL = 'sudo apt-get install libopenblas0-pthread';
/** Variables the machine sets for OpenBLAS that slow a current OpenBLAS down. */
export const PEER_UNSET_ENV = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/** Where libblas.so.3 points (null where it is missing). */
export function genericBlas(): string | null {
  try {
    return realpathSync(GENERIC_BLAS);
  } catch {
    return null;
  }
}

/**
 * Throws, with the command that fixes it, unless libblas.so.3 is OpenBLAS; with `install`,
 * installs libopenblas0-pthread first where it is not.
 */
export function ensureOpenBlas(install: boolean): string {
  let blas = genericBlas();
  if (blas?.includes('openblas')) return blas;
  if (install) {
    const root = process.getuid?.() === 0;
    const cmd = root ? 'apt-get' : 'sudo';
    const args = [...(root ? [] : ['apt-get']), 'install', '-y', 'libopenblas0-pthread'];
    console.log(`  [pytorch] installing OpenBLAS: ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
    blas = genericBlas();
    if (blas?.includes('openblas')) return blas;
  }
  throw new Error(
    `PyTorch would run on ${blas ?? 'no BLAS'} (not OpenBLAS), which makes it a slow peer. ` +
      `Install OpenBLAS (${INSTALL}) or run the bench with --install-openblas; ` +
      '--skip-torch runs without the peer.',
  );
}

/** This process's environment without the OpenBLAS settings the peer must not get. */
export function peerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of PEER_UNSET_ENV) delete out[name];
  return out;
}

export interface PeerJob {
  python: string;
  data: string;
  epochs: number;
  threads: number;
  layers?: number;
  attention?: 'dotProduct' | 'additive';
  /** Large mode: pairs and the batches of one epoch to train. */
  examples?: number;
  maxBatches?: number;
  /**
   * Nice value of the peer's process (its OpenBLAS threads inherit it), the same as our
   * training threads' in one bench run: on a loaded machine a lower priority on one side only
   * would decide the ratio. 0 or absent: the bench's own priority.
   */
  nice?: number;
}

/** train_book.py's large-mode figures (see large_figures there), named as ours are. */
export type PeerLarge = Pick<
  Extract<BenchEvent, { type: 'largeDone' }>,
  | 'srcVocabSize'
  | 'tgtVocabSize'
  | 'parameters'
  | 'setupSeconds'
  | 'batches'
  | 'batchesPerEpoch'
  | 'steadyTokensPerSecond'
  | 'steadyMsPerStep'
> & { epochSecondsEstimate: number; peakRssMB: number };

export interface TorchRun {
  tokensPerSecond: number;
  msPerStep: number;
  seconds: number;
  wallSeconds: number;
  loss: number;
  bleu: (number | null)[];
  translations: string[];
  /** The BLAS libraries the peer process mapped. */
  blas: string[] | null;
  large: PeerLarge | null;
}

function peerArgs(job: PeerJob): string[] {
  const args = [path.join(ROOT, 'test/reference/train_book.py'), '--data', job.data];
  args.push('--epochs', String(job.epochs), '--threads', String(job.threads));
  if (job.layers) args.push('--layers', String(job.layers));
  if (job.attention) args.push('--attention', job.attention);
  if (job.examples) args.push('--examples', String(job.examples));
  if (job.maxBatches) args.push('--max-batches', String(job.maxBatches));
  return args;
}

/**
 * The peer's command line: python and its arguments, through `nice -n N` when the job has a
 * nice value (nice execs python at that priority before any thread of it starts).
 */
export function peerCommand(
  job: Pick<PeerJob, 'python' | 'nice'>,
  args: string[],
): [string, string[]] {
  return job.nice ? ['nice', ['-n', String(job.nice), job.python, ...args]] : [job.python, args];
}

/** Runs the peer (OpenBLAS, the machine's OpenBLAS settings removed), echoing its progress. */
export function runTorch(job: PeerJob): Promise<TorchRun> {
  const args = peerArgs(job);
  const wallStart = performance.now();
  return new Promise((resolve, reject) => {
    const [cmd, cmdArgs] = peerCommand(job, args);
    const child = spawn(cmd, cmdArgs, {
      cwd: ROOT,
      env: peerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split('\n')) {
        const epoch = /^epoch (\d+)/.exec(line);
        if ((epoch && Number(epoch[1]) % 20 === 0) || line.startsWith('batch ')) {
          console.log(`  [pytorch] ${line.trim()}`);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        const cmd = `${job.python} ${args.join(' ')}`;
        reject(new Error(`${cmd} failed (code ${code}):\n${err.slice(-2000)}`));
        return;
      }
      const r = JSON.parse(last) as Omit<TorchRun, 'wallSeconds'>;
      resolve({
        tokensPerSecond: r.tokensPerSecond,
        msPerStep: r.msPerStep,
        seconds: r.seconds,
        wallSeconds: (performance.now() - wallStart) / 1000,
        loss: r.loss,
        bleu: r.bleu,
        translations: r.translations,
        blas: r.blas,
        large: r.large,
      });
    });
  });
}

/** One line saying which BLAS the peer ran on. */
export function blasLine(run: TorchRun): string {
  const libs = run.blas ?? [];
  const open = libs.some((l) => l.includes('openblas'));
  return (
    `  [pytorch] BLAS: ${libs.join(', ') || 'none mapped'} ` +
    `(${open ? 'OpenBLAS' : 'NOT OpenBLAS'}; ${PEER_UNSET_ENV.join(', ')} unset for it)`
  );
}
