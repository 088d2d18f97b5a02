/**
 * Score Held-out BLEU as the extension runs it, for a run that lacks it (an imported model, or a
 * run trained with heldOutCount 0): its model greedy-translates the heldOutCount pairs after its
 * training pairs in the translation worker, as a training run does when it ends, with a
 * cancellable progress notification; the score is kept in the run's record, where Compare Runs
 * and the Runs view show it. A failure never throws: it is the reason the score is missing.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { RUN_SETTINGS } from '../config/settings';
import { firstUnusedLine } from '../data/tokenize';
import { heldOutText, runLabel } from '../runs/runLabel';
import type { HeldOutScore, RunRecord } from '../shared/protocol';
import { errorText } from '../util/errorText';
import { cachedCorpus, ensureCorpus } from './corpusService';
import type { Explorer } from './explorer';
import { readSettings } from './settings';

export type HeldOutOutcome = { ok: true; run: RunRecord } | { ok: false; reason: string };

/** Why there is no corpus to score with (the corpus is downloaded by training, or on demand). */
export const NO_CORPUS =
  'the fra-eng corpus is not on this machine yet (training downloads it, Score Held-out BLEU ' +
  'downloads it when asked, or set transformer.corpusPath)';

export class HeldOutScoring {
  /** Scorings in progress, by run id: a second request for the same run joins the first. */
  private readonly running = new Map<string, Promise<HeldOutOutcome>>();

  constructor(private readonly explorer: Explorer) {}

  /**
   * Scores `run`'s model and keeps the score in its record. `download`: fetch the corpus first
   * when it is not cached (asked for explicitly), else use only a corpus already here (on import:
   * opening a model must not start a download unasked).
   */
  score(run: RunRecord, o: { download: boolean }): Promise<HeldOutOutcome> {
    const joined = this.running.get(run.id);
    if (joined) return joined;
    const done = this.run(run, o).finally(() => this.running.delete(run.id));
    this.running.set(run.id, done);
    return done;
  }

  private async run(run: RunRecord, o: { download: boolean }): Promise<HeldOutOutcome> {
    const { explorer } = this;
    const label = runLabel(run);
    if (!run.hasCheckpoint) return { ok: false, reason: `${label} has no saved model` };
    const read = readSettings(explorer.log);
    const settings = read.ok ? read.settings : null;
    const count = settings?.heldOutCount || RUN_SETTINGS.heldOutCount.default;
    const storage = explorer.context.globalStorageUri;
    const controller = new AbortController();
    try {
      const corpus =
        o.download && settings
          ? await ensureCorpus(settings, storage, explorer.log)
          : cachedCorpus(settings, storage);
      if (!corpus) return { ok: false, reason: NO_CORPUS };
      if (!existsSync(corpus)) {
        return {
          ok: false,
          reason: `transformer.corpusPath points to ${corpus}, which does not exist`,
        };
      }
      const heldOut = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Held-out BLEU of ${label}: ${count} pairs from line ${firstUnusedLine(run.hyperparameters.numExamples) + 1}`,
          cancellable: true,
        },
        (bar, token) => {
          token.onCancellationRequested(() => controller.abort());
          return this.scoreIn(run, corpus, count, controller.signal, bar);
        },
      );
      const kept = await explorer.history.keepHeldOut(run.id, heldOut);
      explorer.log.info(`${label}: ${heldOutText(heldOut)}`);
      return { ok: true, run: kept };
    } catch (err) {
      const reason = controller.signal.aborted ? 'it was cancelled' : errorText(err);
      explorer.log.warn(`Held-out BLEU of ${label} not scored: ${reason}`);
      return { ok: false, reason };
    }
  }

  /** The worker's scoring, its progress on the notification's bar. */
  private scoreIn(
    run: RunRecord,
    corpusPath: string,
    count: number,
    signal: AbortSignal,
    bar: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<HeldOutScore> {
    let shown = 0;
    const dir = this.explorer.history.store.checkpointDir(run.id);
    return this.explorer.translations.scoreHeldOut(dir, corpusPath, count, {
      signal,
      onProgress: ({ done, total }) => {
        const percent = total ? (100 * done) / total : 100;
        bar.report({ increment: percent - shown, message: `${done}/${total} pairs translated` });
        shown = percent;
      },
    });
  }
}
