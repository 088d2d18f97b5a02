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
   * Scores the current model's heads (or joins the scoring in progress). Resolves to the
   * report, or undefined when cancelled or failed (a failure is shown).
   */
  score(): Promise<HeadReport | undefined> {
    const { explorer } = this;
    explorer.panels.show('heads');
    if (this.running) return this.running.done;
    if (!explorer.translations.hasModel()) {
      void vscode.window.showInformationMessage(
        'There is no trained model to score yet: train one first (Transformer: Train Transformer).',
      );
      return Promise.resolve(undefined);
    }
    const controller = new AbortController();
    const done = this.run(controller).finally(() => {
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

  private async run(controller: AbortController): Promise<HeadReport | undefined> {
    const { explorer } = this;
    const run = await this.currentRun();
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
          return explorer.translations.scoreHeads(explorer.paths.checkpointDir, count, {
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
