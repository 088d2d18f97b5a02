/**
 * The run history: one folder per training run under `root` (the extension's global storage),
 * holding run.json and, for finished runs, a copy of the checkpoint. A size limit deletes the
 * oldest runs first; the current run is never deleted by the limit. No vscode import: the unit
 * tests drive it on a temp folder.
 *
 *   root/
 *     current.json            { "runId": "run-3-20261125t101500" }  the run that is the current model
 *     run-3-20261125t101500/
 *       run.json              RunRecord
 *       checkpoint/           checkpoint.json, weights-<hash>.bin
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CheckpointContents, commitCheckpoint, copyCheckpoint } from '../checkpoint/commit';
import { MANIFEST_FILE } from '../checkpoint/manifest';
import type { HeadReport, HeldOutScore, RunRecord } from '../shared/protocol';
import { RUN_ID_PATTERN } from '../shared/runRecord';
import { exists, replaceFileAtomically } from '../util/durableFs';
import { dirSize } from './runFiles';
import { parseRunRecord, RUN_CHECKPOINT_DIR, RUN_FILE } from './runRecordFile';

/** What a training run reports; the store adds id, number, size and the checkpoint copy. */
export type NewRun = Omit<RunRecord, 'id' | 'number' | 'sizeBytes' | 'hasCheckpoint'>;

export interface RunList {
  /** Newest first. */
  runs: RunRecord[];
  /** Folders that are not readable runs (skipped, named for the log). */
  problems: string[];
}

const CURRENT_FILE = 'current.json';

export class RunStore {
  constructor(readonly root: string) {}

  async list(): Promise<RunList> {
    const runs: RunRecord[] = [];
    const problems: string[] = [];
    let names: string[];
    try {
      names = (await fs.readdir(this.root, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name);
    } catch {
      return { runs, problems };
    }
    for (const name of names) {
      let text: string;
      try {
        text = await fs.readFile(path.join(this.root, name, RUN_FILE), 'utf8');
      } catch {
        problems.push(`${name}: no ${RUN_FILE}`);
        continue;
      }
      const parsed = parseRunRecord(text, name);
      if (!parsed.ok) problems.push(parsed.error);
      else runs.push(parsed.run);
    }
    runs.sort((a, b) => b.number - a.number);
    return { runs, problems };
  }

  async get(id: string): Promise<RunRecord | null> {
    return (await this.list()).runs.find((r) => r.id === id) ?? null;
  }

  /** The folder of a run's checkpoint (whether or not it exists). */
  checkpointDir(id: string): string {
    return path.join(this.runDir(id), RUN_CHECKPOINT_DIR);
  }

  /**
   * Keeps a run: copies `checkpointDir` (when given and whole) beside its record. Returns the
   * stored record.
   */
  add(run: NewRun, checkpointDir: string | null, now = new Date()): Promise<RunRecord> {
    return this.create(run, now, async (target) => {
      if (!checkpointDir || !(await exists(path.join(checkpointDir, MANIFEST_FILE)))) return false;
      await copyCheckpoint(checkpointDir, target);
      return true;
    });
  }

  /** Keeps a run whose model is given whole (an imported model: Open Model…). */
  addWithModel(
    run: NewRun,
    model: CheckpointContents,
    bytes: Uint8Array,
    now = new Date(),
  ): Promise<RunRecord> {
    return this.create(run, now, async (target) => {
      await commitCheckpoint(target, model, bytes);
      return true;
    });
  }

  /** A new run folder with its record; `saveModel` writes its checkpoint (or says there is none). */
  private async create(
    run: NewRun,
    now: Date,
    saveModel: (checkpointDir: string) => Promise<boolean>,
  ): Promise<RunRecord> {
    await fs.mkdir(this.root, { recursive: true });
    const { runs } = await this.list();
    const number = Math.max(0, ...runs.map((r) => r.number)) + 1;
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
    const id = `run-${number}-${stamp}`;
    const dir = this.runDir(id);
    await fs.mkdir(dir);
    try {
      const hasCheckpoint = await saveModel(this.checkpointDir(id));
      return await this.writeSized({ ...run, id, number, hasCheckpoint, sizeBytes: 0 });
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Keeps `heads` (a head report of the run's model) in the run's record; returns the record. */
  async setHeads(id: string, heads: HeadReport): Promise<RunRecord> {
    return this.update(id, { heads });
  }

  /** Keeps a held-out score computed after the run (an imported model, a run without one). */
  async setHeldOut(id: string, heldOut: HeldOutScore): Promise<RunRecord> {
    return this.update(id, { heldOut });
  }

  private async update(id: string, fields: Partial<RunRecord>): Promise<RunRecord> {
    const run = await this.get(id);
    if (!run) throw new Error(`There is no run ${id} in the history`);
    return this.writeSized({ ...run, ...fields });
  }

  async delete(id: string): Promise<boolean> {
    const dir = this.runDir(id);
    if (!(await exists(dir))) return false;
    await fs.rm(dir, { recursive: true, force: true });
    if ((await this.currentRunId()) === id) await this.setCurrentRunId(null);
    return true;
  }

  /** Total bytes of all runs. */
  async totalBytes(): Promise<number> {
    return (await this.list()).runs.reduce((a, r) => a + r.sizeBytes, 0);
  }

  /**
   * Deletes the oldest runs until the history fits in `limitBytes`; the current run and the
   * ids in `keep` stay even when that is not enough. Returns the deleted runs.
   */
  async enforceLimit(limitBytes: number, keep: readonly string[] = []): Promise<RunRecord[]> {
    const { runs } = await this.list();
    const current = await this.currentRunId();
    let total = runs.reduce((a, r) => a + r.sizeBytes, 0);
    const deleted: RunRecord[] = [];
    for (const run of [...runs].reverse()) {
      if (total <= limitBytes) break;
      if (run.id === current || keep.includes(run.id)) continue;
      await this.delete(run.id);
      total -= run.sizeBytes;
      deleted.push(run);
    }
    return deleted;
  }

  /**
   * Copies the run's checkpoint over `currentDir` (the model translations use), crash-safely and
   * only where the write-safety rule allows (src/checkpoint/saveTarget.ts).
   */
  async makeCurrent(id: string, currentDir: string): Promise<RunRecord> {
    const run = await this.get(id);
    if (!run) throw new Error(`There is no run ${id} in the history`);
    if (!run.hasCheckpoint || !(await exists(path.join(this.checkpointDir(id), MANIFEST_FILE)))) {
      throw new Error(`Run ${run.number} has no saved model (it was ${run.status})`);
    }
    await copyCheckpoint(this.checkpointDir(id), currentDir);
    await this.setCurrentRunId(id);
    return run;
  }

  async currentRunId(): Promise<string | null> {
    try {
      const json = JSON.parse(await fs.readFile(path.join(this.root, CURRENT_FILE), 'utf8')) as {
        runId?: unknown;
      };
      const id = json.runId;
      return typeof id === 'string' && RUN_ID_PATTERN.test(id) && (await exists(this.runDir(id)))
        ? id
        : null;
    } catch {
      return null;
    }
  }

  async setCurrentRunId(id: string | null): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await replaceFileAtomically(path.join(this.root, CURRENT_FILE), JSON.stringify({ runId: id }));
  }

  private runDir(id: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`Not a run id: ${JSON.stringify(id)}`);
    return path.join(this.root, id);
  }

  /** Writes `record`, then again with its folder's size (run.json included). */
  private async writeSized(record: RunRecord): Promise<RunRecord> {
    await this.write(record);
    const sized = { ...record, sizeBytes: await dirSize(this.runDir(record.id)) };
    await this.write(sized);
    return sized;
  }

  private async write(record: RunRecord): Promise<void> {
    const file = path.join(this.runDir(record.id), RUN_FILE);
    await replaceFileAtomically(file, JSON.stringify(record, null, 1));
  }
}
