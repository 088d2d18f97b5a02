/**
 * Crash safety of a save (issue 10, item 2), by fault injection rather than timing luck: a child
 * process (test/helpers/crashingSave.ts) saves a checkpoint and SIGKILLs itself at step k of the
 * save, for every k; then this process, which shares nothing with the killed one, loads the
 * folder. It must find the old checkpoint or the new one, whole and bit for bit (the old one
 * exactly until the manifest's rename, the new one from then on), and the next save must succeed
 * and leave no leftovers. fsync's part (power cuts) cannot be shown by killing a process: the
 * step order test shows each file is synced before a name points to it.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { MANIFEST_FILE, loadCheckpoint, modelContents } from '../../src/checkpoint/checkpoint';
import { SAVE_STEPS, SaveStep } from '../../src/checkpoint/commit';
import { Hyperparameters } from '../../src/config/hyperparameters';
import {
  V1_FIXTURE,
  namesIn,
  rejectsWith,
  saveTiny,
  srcVocab,
  tgtVocab,
  tinyModel,
} from '../helpers/checkpointFiles';
import { TempDirs } from '../helpers/tempDir';
import { TINY_HYPERPARAMETERS, paramValues, useCpuBackend } from '../helpers/tinyModel';

/** The two sides differ in weights and in a manifest field, so a mix of the two would show. */
const OLD_H: Hyperparameters = { ...TINY_HYPERPARAMETERS, seed: 0, numEpochs: 3 };
const NEW_H: Hyperparameters = { ...OLD_H, numEpochs: 5 };

/** What a folder holds when a save starts, and what it must load as until the commit. */
interface Scenario {
  mode: 'save' | 'copy';
  /** The folder with the old checkpoint (copied for each crash), or null: the folder is new. */
  oldDir: string | null;
  /** What loading the old checkpoint gives (numEpochs and weights), or null for none. */
  old: Side | null;
}

interface Side {
  numEpochs: number;
  weights: Map<string, Float32Array>;
}

interface Crash {
  k: number;
  step: SaveStep;
  dir: string;
  signal: string | null;
  stderr: string;
}

const SCENARIOS = [
  'a save over a version 2 checkpoint',
  'a save over a version 1 checkpoint',
  'a first save into a new folder',
  'a run-history copy (Make Current) over a checkpoint',
] as const;

describe('checkpoint saves survive a crash at every step', function () {
  this.timeout(180_000);
  const temp = new TempDirs();
  let work = '';
  let child = '';
  /** The new side: a saved checkpoint (the copy's source) and the same as save input. */
  let newDir = '';
  let newContents = '';
  let newSide: Side;
  const scenarios = new Map<string, Scenario>();
  const results = new Map<string, { steps: SaveStep[]; crashes: Crash[] }>();

  before(async () => {
    await useCpuBackend();
    work = temp.make('tae-crash-');
    child = await bundleChild(work);
    const oldModel = tinyModel(OLD_H, 1);
    const newModel = tinyModel(OLD_H, 2);
    const v1 = await loadCheckpoint(V1_FIXTURE);
    try {
      const oldDir = path.join(work, 'old');
      await saveTiny(oldDir, oldModel, OLD_H);
      const oldSide = { numEpochs: OLD_H.numEpochs, weights: paramValues(oldModel) };
      newDir = path.join(work, 'new');
      await saveTiny(newDir, newModel, NEW_H);
      newSide = { numEpochs: NEW_H.numEpochs, weights: paramValues(newModel) };
      const { contents, bytes } = await modelContents(newModel, srcVocab, tgtVocab, NEW_H);
      newContents = path.join(work, 'contents.json');
      const base64 = Buffer.from(bytes).toString('base64');
      fs.writeFileSync(newContents, JSON.stringify({ contents, bytes: base64 }));
      const v1Side = { numEpochs: v1.hyperparameters.numEpochs, weights: paramValues(v1.model) };
      const [overV2, overV1, first, copy] = SCENARIOS;
      scenarios.set(overV2, { mode: 'save', oldDir, old: oldSide });
      scenarios.set(overV1, { mode: 'save', oldDir: V1_FIXTURE, old: v1Side });
      scenarios.set(first, { mode: 'save', oldDir: null, old: null });
      scenarios.set(copy, { mode: 'copy', oldDir, old: oldSide });
    } finally {
      oldModel.dispose();
      newModel.dispose();
      v1.model.dispose();
    }
    for (const [i, name] of SCENARIOS.entries()) {
      results.set(name, await crashEverywhere(scenarios.get(name)!, path.join(work, `s${i}`)));
    }
  });

  after(() => temp.cleanup());

  function run(
    ...args: string[]
  ): Promise<{ signal: string | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [child, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ signal: (err as { signal?: string } | null)?.signal ?? null, stdout, stderr }),
      );
    });
  }

  /** One run to the end (to learn the steps), then one killed at each step, in parallel. */
  async function crashEverywhere(s: Scenario, root: string) {
    const source = s.mode === 'copy' ? newDir : newContents;
    const folder = (name: string) => {
      const dir = path.join(root, name, 'model');
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      if (s.oldDir) fs.cpSync(s.oldDir, dir, { recursive: true });
      return dir;
    };
    const finished = await run(s.mode, folder('whole'), source, '-1');
    assert.equal(finished.signal, null, finished.stderr);
    const steps = JSON.parse(finished.stdout) as SaveStep[];
    const crashes = await Promise.all(
      steps.map(async (step, k): Promise<Crash> => {
        const dir = folder(`k${k}`);
        const r = await run(s.mode, dir, source, String(k));
        return { k, step, dir, signal: r.signal, stderr: r.stderr };
      }),
    );
    return { steps, crashes };
  }

  it('passes its steps in the crash-safe order: synced before named, committed before removed', async () => {
    const steps: SaveStep[] = [];
    const model = tinyModel(OLD_H, 3);
    const dir = path.join(temp.make(), 'model');
    try {
      fs.cpSync(scenarios.get(SCENARIOS[0])!.oldDir!, dir, { recursive: true });
      const onStep = (step: SaveStep) => steps.push(step);
      await saveTiny(dir, model, OLD_H, { onStep });
    } finally {
      model.dispose();
    }
    assert.deepEqual(steps, SAVE_STEPS, 'one old weights file removed after the commit');
    const withoutRemovals = (list: readonly SaveStep[]) =>
      list.filter((x) => x !== 'leftoverRemoved');
    for (const r of results.values())
      assert.deepEqual(withoutRemovals(r.steps), withoutRemovals(SAVE_STEPS));
  });

  for (const name of SCENARIOS) {
    it(`${name}: the old checkpoint or the new, whole, after a kill at any step`, async () => {
      const scenario = scenarios.get(name)!;
      const { steps, crashes } = results.get(name)!;
      assert.equal(crashes.length, steps.length);
      const commit = steps.indexOf('manifestCommitted');
      for (const c of crashes) {
        const at = `killed at step ${c.k} (${c.step})`;
        assert.equal(c.signal, 'SIGKILL', `${at}: ${c.stderr}`);
        const want = c.k >= commit ? newSide : scenario.old;
        if (!want) await rejectsWith(loadCheckpoint(c.dir), c.dir, /no checkpoint\.json/);
        else await assertLoads(c.dir, want, at);
        await assertNextSaveCleans(c.dir, at);
      }
    });
  }
});

async function bundleChild(dir: string): Promise<string> {
  const outfile = path.join(dir, 'crashingSave.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, '..', 'helpers', 'crashingSave.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}

async function assertLoads(dir: string, want: Side, at: string): Promise<void> {
  const loaded = await loadCheckpoint(dir);
  try {
    assert.equal(loaded.hyperparameters.numEpochs, want.numEpochs, `${at}: manifest`);
    assert.deepEqual(paramValues(loaded.model), want.weights, `${at}: weights bit for bit`);
  } finally {
    loaded.model.dispose();
  }
}

/** The next save into a crashed folder goes through and leaves only the checkpoint's files. */
async function assertNextSaveCleans(dir: string, at: string): Promise<void> {
  const model = tinyModel(OLD_H, 4);
  try {
    const m = await saveTiny(dir, model, OLD_H);
    assert.deepEqual(namesIn(dir), [MANIFEST_FILE, m.weightsFile], at);
  } finally {
    model.dispose();
  }
}
