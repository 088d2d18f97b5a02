/**
 * Score Head Importance as the extension runs it: the current model's heads scored in the
 * translation worker over the held-out pairs after its training pairs (the run's heldOutCount),
 * with a cancellable progress notification, kept in the current run's record (so Compare Runs
 * shows it) and shown in the Heads panel. One scoring at a time.
 */
import * as vscode from 'vscode';
import { RUN_SETTINGS } from '../config/settings';
import { runLabel } from '../runs/runLabel';
import type {
  HeadReport,
  HeadsProgress,
  HeadsStateMessage,
  ModelHeadReport,
  RunRecord,
} from '../shared/protocol';
import { errorText } from '../util/errorText';
import type { Explorer } from './explorer';
import { readSettings } from './settings';

const PHASES: Record<HeadsProgress['phase'], string> = {
  baseline: 'the unmasked model',
  gradient: 'gradients',
  heads: 'one head off at a time',
  pruning: 'pruning curve',
};

/** The model to score: a checkpoint folder, and the run it belongs to when the history has it. */
interface ScoringTarget {
  run: RunRecord | null;
  checkpointDir: string;
}

export class HeadScoring {
  private running: { controller: AbortController; done: Promise<HeadReport | undefined> } | null =
    null;
  private progress: HeadsProgress | null = null;
  /** The last report scored here (for a model that is no run of the history, the only copy). */
  private last: ModelHeadReport | null = null;

  constructor(private readonly explorer: Explorer) {}

  /** The current run's report (or the last one scored here), and whose it is. */
  async kept(): Promise<ModelHeadReport | null> {
    const run = await this.currentRun();
    return run?.heads ? { report: run.heads, source: runLabel(run) } : this.last;
  }

  /** What the Heads panel shows: the kept report and any scoring in progress. */
  async state(): Promise<HeadsStateMessage> {
    const kept = await this.kept();
    return {
      type: 'headsState',
      report: kept?.report ?? null,
      source: kept?.source ?? null,
      progress: this.progress,
    };
  }

  /**
   * Scores the current model's heads, or with `runId` that run's (Compare Runs' button: the
   * Heads panel, which shows the current model, is not opened), or joins the scoring in
   * progress. Resolves to the report, or undefined when cancelled or failed (a failure is shown).
   */
  async score(runId?: string): Promise<HeadReport | undefined> {
    const { explorer } = this;
    if (runId === undefined) explorer.panels.show('heads');
    if (this.running) return this.running.done;
    const target = runId === undefined ? await this.currentTarget() : await this.runTarget(runId);
    if (typeof target === 'string') {
      void vscode.window.showInformationMessage(target);
      return undefined;
    }
    const started = this.inProgress(); // started while the target was read
    if (started) return started;
    const controller = new AbortController();
    const done = this.run(target, controller).finally(() => {
      this.running = null;
      this.progress = null;
      void explorer.panels.refresh('heads');
      // The attention panel shows the report's held-out averages beside its statistics.
      explorer.headReportChanged();
    });
    this.running = { controller, done };
    return done;
  }

  cancel(): void {
    this.running?.controller.abort();
  }

  private inProgress(): Promise<HeadReport | undefined> | null {
    return this.running?.done ?? null;
  }

  /** The current model and its run (if the history has it), or why there is none. */
  private async currentTarget(): Promise<ScoringTarget | string> {
    if (!this.explorer.translations.hasModel()) {
      return 'There is no trained model to score yet: train one first (Transformer: Train Transformer).';
    }
    return { run: await this.currentRun(), checkpointDir: this.explorer.paths.checkpointDir };
  }

  /** A run of the history with its saved model, or why it cannot be scored. */
  private async runTarget(runId: string): Promise<ScoringTarget | string> {
    const store = this.explorer.history.store;
    const run = await store.get(runId);
    if (!run) return 'This run is no longer in the history.';
    if (!run.hasCheckpoint) return `${runLabel(run)} has no saved model to score.`;
    return { run, checkpointDir: store.checkpointDir(runId) };
  }

  private async run(
    { run, checkpointDir }: ScoringTarget,
    controller: AbortController,
  ): Promise<HeadReport | undefined> {
    const { explorer } = this;
    const count = heldOutCount(run);
    const source = run ? runLabel(run) : 'the current model';
    this.progress = { phase: 'baseline', done: 0, total: 1 };
    void explorer.panels.refresh('heads');
    try {
      const report = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Scoring the attention heads of ${source} on ${count} held-out pairs`,
          cancellable: true,
        },
        (bar, token) => {
          token.onCancellationRequested(() => controller.abort());
          let shown = 0;
          return explorer.translations.scoreHeads(checkpointDir, count, {
            signal: controller.signal,
            onProgress: (p) => {
              const percent = (100 * p.done) / p.total;
              bar.report({
                increment: percent - shown,
                message: `${PHASES[p.phase]} (${p.done}/${p.total})`,
              });
              shown = percent;
              this.progress = p;
              void explorer.panels.refresh('heads');
            },
          });
        },
      );
      this.last = { report, source };
      if (run) await explorer.history.keepHeads(run.id, report);
      explorer.log.info(
        `Scored ${report.heads.length} heads of ${source} on ${report.count} pairs in ${report.seconds.toFixed(1)} s`,
      );
      return report;
    } catch (err) {
      if (controller.signal.aborted) explorer.log.info(`Head scoring stopped: ${errorText(err)}`);
      else explorer.reportError('Could not score the heads', err);
      return undefined;
    }
  }

  /** The run whose model is the current one, if the history has it. */
  private async currentRun(): Promise<RunRecord | null> {
    const store = this.explorer.history.store;
    const id = await store.currentRunId();
    return id ? await store.get(id) : null;
  }
}

/** The run's held-out pairs (its heldOutCount), else the setting, else the setting's default. */
function heldOutCount(run: RunRecord | null): number {
  const read = readSettings();
  const setting = read.ok ? read.settings.heldOutCount : 0;
  return run?.heldOut?.count || setting || RUN_SETTINGS.heldOutCount.default;
}
