import * as vscode from 'vscode';
import { LIMITS } from '../config/hyperparameters';
import type { PositionMode } from '../model/config';
import { runLabel } from '../runs/runLabel';
import { RunStore } from '../runs/runStore';
import type {
  CompareAttentionResultMessage,
  CompareSide,
  HeadReport,
  HeldOutScore,
  RunRecord,
  RunsStateMessage,
  TrainingStateMessage,
} from '../shared/protocol';
import { ExtensionPaths } from './paths';
import { SentenceRequest } from './selection';
import { ExtensionSettings, readRunHistoryLimit, SECTION } from './settings';
import { TranslationService } from './translationService';
import { formatBytes } from '../shared/formatBytes';

/**
 * The run history as the extension uses it: records every training run when it ends, keeps the
 * history under its size limit, and makes a run current, deletes it or compares two. Operations
 * run one at a time (a queue), so a delete never races the recording of a run.
 */
export class RunHistory {
  readonly store: RunStore;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly paths: ExtensionPaths,
    private readonly log: vscode.LogOutputChannel,
    private readonly translations: TranslationService,
    /** Called after anything in the history changed (the panel redraws). */
    private readonly changed: () => void,
  ) {
    this.store = new RunStore(paths.runsDir);
  }

  /** What the Compare Runs panel shows. Damaged run folders are logged and left out. */
  state(): Promise<RunsStateMessage> {
    return this.serial(async () => {
      const { runs, problems } = await this.store.list();
      for (const problem of problems) this.log.warn(`Run history: skipped ${problem}`);
      return {
        type: 'runsState',
        runs,
        currentRunId: await this.store.currentRunId(),
        totalBytes: runs.reduce((total, run) => total + run.sizeBytes, 0),
        limitBytes: readRunHistoryLimit().bytes,
      };
    });
  }

  /**
   * Keeps a run that has ended: finished runs with their checkpoint (and become current),
   * stopped and failed ones with what they got to.
   */
  record(
    state: TrainingStateMessage,
    checkpointDir: string | null,
    settings: ExtensionSettings,
  ): Promise<RunRecord | null> {
    if (state.status !== 'finished' && state.status !== 'cancelled' && state.status !== 'failed') {
      return Promise.resolve(null);
    }
    const status = state.status;
    return this.serial(async () => {
      const run = await this.store.add(
        {
          createdAt: new Date().toISOString(),
          status,
          hyperparameters: settings.hyperparameters,
          positionMode: settings.positionMode,
          backend: state.backend,
          points: state.points,
          summary: state.summary,
          seeds: state.seeds,
          heldOut: state.heldOut,
          pairs: state.pairs,
          error: status === 'failed' ? state.statusText : undefined,
        },
        status === 'finished' ? checkpointDir : null,
      );
      if (run.hasCheckpoint) await this.store.setCurrentRunId(run.id);
      this.log.info(
        `Run history: kept ${runLabel(run)} (${status}, ${formatBytes(run.sizeBytes)})`,
      );
      await this.applyLimit(run.id);
      return run;
    }).finally(this.changed);
  }

  /**
   * Opens a model file written by the book's PyTorch code (.pt, or .safetensors with its
   * sidecar): read and checked whole in the translation worker (reading the book's 4-layer,
   * 256-wide model with 10,000-word vocabularies, 60 MB, took 1.4 to 2 s of one thread here:
   * too long for the extension host's), kept as an "imported" run and made the current model.
   * A file that is not such a model rejects with a message naming the tensor and shapes.
   */
  addImported(file: string, positionMode: PositionMode): Promise<RunRecord> {
    return this.serial(async () => {
      const { contents, bytes, format } = await this.translations.readModelFile(file);
      const run = await this.store.addWithModel(
        {
          createdAt: new Date().toISOString(),
          status: 'finished',
          hyperparameters: contents.hyperparameters,
          positionMode,
          backend: null,
          points: [],
          summary: null,
          seeds: [],
          heldOut: null,
          imported: { file, format },
        },
        contents,
        bytes,
      );
      await this.store.makeCurrent(run.id, this.paths.checkpointDir);
      this.log.info(
        `Run history: opened ${file} as ${runLabel(run)} (${formatBytes(run.sizeBytes)}); it is the current model`,
      );
      await this.applyLimit(run.id);
      return run;
    }).finally(this.changed);
  }

  /** Copies the run's model over the current one: translations and attention use it from now. */
  makeCurrent(id: string): Promise<RunRecord> {
    return this.serial(async () => {
      const run = await this.store.makeCurrent(id, this.paths.checkpointDir);
      this.log.info(`Run history: ${runLabel(run)} is now the current model`);
      return run;
    }).finally(this.changed);
  }

  /** Keeps a head report of the run's model in its record (Compare Runs shows it). */
  keepHeads(id: string, report: HeadReport): Promise<RunRecord> {
    return this.serial(() => this.store.setHeads(id, report)).finally(this.changed);
  }

  /** Keeps a held-out score scored after the run (Compare Runs and the Runs view show it). */
  keepHeldOut(id: string, heldOut: HeldOutScore): Promise<RunRecord> {
    return this.serial(() => this.store.setHeldOut(id, heldOut)).finally(this.changed);
  }

  delete(id: string): Promise<boolean> {
    return this.serial(async () => {
      const done = await this.store.delete(id);
      if (done) this.log.info(`Run history: deleted ${id}`);
      return done;
    }).finally(this.changed);
  }

  /** One sentence translated by two runs' models, each with its attention (or why not). */
  async compare(
    runIds: readonly string[],
    sentence: SentenceRequest,
  ): Promise<CompareAttentionResultMessage> {
    const sides: CompareSide[] = [];
    const { runs } = await this.serial(() => this.store.list()); // one read for both sides
    for (const runId of runIds) {
      const run = runs.find((r) => r.id === runId);
      if (!run) {
        sides.push({
          runId,
          label: runId,
          item: null,
          error: 'This run is no longer in the history.',
        });
        continue;
      }
      const label = runLabel(run);
      if (!run.hasCheckpoint) {
        sides.push({
          runId,
          label,
          item: null,
          error: `${label} has no saved model (${run.status}).`,
        });
        continue;
      }
      try {
        const [item] = await this.translations.translateWith(this.store.checkpointDir(runId), [
          sentence,
        ]);
        sides.push({ runId, label, item: item ?? null });
      } catch (err) {
        sides.push({
          runId,
          label,
          item: null,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return { type: 'compareAttentionResult', sentence: sentence.source, sides };
  }

  /** Writes the run's hyperparameters into the user's settings (only those that differ). */
  async useSettingsOf(id: string): Promise<string[]> {
    const run = await this.serial(() => this.store.get(id));
    if (!run) throw new Error(`There is no run ${id} in the history`);
    const config = vscode.workspace.getConfiguration(SECTION);
    const changed: string[] = [];
    for (const key of Object.keys(LIMITS) as (keyof typeof run.hyperparameters)[]) {
      const value = run.hyperparameters[key];
      if (config.get(key) !== value) {
        await config.update(key, value, vscode.ConfigurationTarget.Global);
        changed.push(`${key} = ${value}`);
      }
    }
    return changed;
  }

  private async applyLimit(keep: string): Promise<void> {
    const limit = readRunHistoryLimit();
    if (limit.error) this.log.warn(limit.error);
    const deleted = await this.store.enforceLimit(limit.bytes, [keep]);
    if (deleted.length === 0) return;
    const names = deleted.map(runLabel).join(', ');
    this.log.info(`Run history: over ${formatBytes(limit.bytes)}, deleted ${names}`);
    void vscode.window.showInformationMessage(
      `The run history is limited to ${formatBytes(limit.bytes)} (transformer.runHistoryLimitMB): deleted the oldest: ${names}.`,
    );
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
