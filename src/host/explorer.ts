/**
 * The running extension's parts, made once by activate() and handed to the commands, the panel
 * message handler, the stale-settings watcher and the test API: the log, where files go, the
 * training controller, translations, the run history, the open panels and the status bar.
 */
import * as vscode from 'vscode';
import { PanelRegistry } from '../panels/panelRegistry';
import type {
  AttentionDataMessage,
  HostToWebview,
  ModelHeadReport,
  PanelKind,
} from '../shared/protocol';
import { errorText } from '../util/errorText';
import { RunsTreeProvider } from '../views/runsTree';
import { HeadScoring } from './headScoring';
import { HeldOutScoring } from './heldOutScoring';
import { answerPanelMessage } from './panelMessages';
import { ExtensionPaths, extensionPaths } from './paths';
import { RunHistory } from './runHistory';
import { TrainingStatusBar } from './statusBar';
import { TrainingController } from './trainingController';
import { SourceHighlighter } from './sourceHighlight';
import { TranslationService } from './translationService';

export class Explorer implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Transformer Attention Explorer', { log: true });
  readonly paths: ExtensionPaths;
  readonly statusBar = new TrainingStatusBar();
  readonly translations: TranslationService;
  readonly panels: PanelRegistry;
  readonly training: TrainingController;
  readonly history: RunHistory;
  readonly heads: HeadScoring;
  /** Held-out BLEU scored after a run (imported models, runs without it). */
  readonly heldOut: HeldOutScoring;
  /** Attention in the editor: the source words an output token attended to. */
  readonly sourceHighlight: SourceHighlighter;
  /** The Runs view of the activity-bar container. */
  readonly runsTree: RunsTreeProvider;
  /** Charts each panel reported on screen after its last render (for the test API). */
  readonly renderedCharts = new Map<PanelKind, number>();
  /** The head report the attention panel was sent (keptHeadReport), until it changes. */
  private headReport: Promise<ModelHeadReport | null> | null = null;

  constructor(readonly context: vscode.ExtensionContext) {
    this.paths = extensionPaths(context);
    this.translations = new TranslationService(context, this.paths, this.log);
    this.sourceHighlight = new SourceHighlighter(() => this.translations.items);
    this.panels = new PanelRegistry({
      extensionUri: context.extensionUri,
      log: this.log,
      onMessage: (panel, message) => answerPanelMessage(this, panel, message),
      panelState: (panel) => this.panelState(panel),
      // Without its panel, the editor keeps no highlight, and its hover no translation.
      closed: (panel) => {
        if (panel === 'translation') this.sourceHighlight.forgetAll();
      },
    });
    this.training = new TrainingController(context, this.paths, this.log, {
      stateChanged: (state) => {
        this.statusBar.update(state);
        void this.panels.post('training', state);
      },
      epoch: (point) => {
        this.statusBar.epoch(point);
        void this.panels.post('training', { type: 'trainingEpoch', point });
      },
      batch: (progress) => {
        this.statusBar.batch(progress);
        void this.panels.post('training', { type: 'trainingBatch', progress });
      },
      snapshot: () => void this.panels.refresh('attention'),
      ended: (state, checkpointDir, settings) =>
        this.history.record(state, checkpointDir, settings),
    });
    this.history = new RunHistory(this.paths, this.log, this.translations, () => {
      this.runsTree.refresh();
      void this.showCurrentModel();
      this.panels.refresh('compare').catch((err: unknown) => this.log.warn(errorText(err)));
      // Another run may be current now: the Heads panel shows its report, the attention panel
      // its held-out averages.
      this.panels.refresh('heads').catch((err: unknown) => this.log.warn(errorText(err)));
      this.headReportChanged();
    });
    this.runsTree = new RunsTreeProvider(this.history);
    this.heads = new HeadScoring(this);
    this.heldOut = new HeldOutScoring(this);
    this.statusBar.update(this.training.state);
    void this.showCurrentModel();
  }

  /** Tells the status bar which run's model is current (read from the run history). */
  async showCurrentModel(): Promise<void> {
    try {
      const { runs, currentRunId } = await this.history.state();
      this.statusBar.setCurrentRun(runs.find((run) => run.id === currentRunId) ?? null);
    } catch (err) {
      this.log.warn(`Status bar: could not read the run history: ${errorText(err)}`);
    }
  }

  /** What the attention panel shows: the selected translation and the training snapshots. */
  attentionData(): AttentionDataMessage {
    return {
      type: 'attentionData',
      current: this.translations.current,
      snapshots: this.training.snapshots,
    };
  }

  /** What a panel's webview needs to draw the current state (after `ready`, and on refresh). */
  async panelState(panel: PanelKind): Promise<HostToWebview[]> {
    switch (panel) {
      case 'training':
        return [this.training.state];
      case 'translation':
        return [{ type: 'translations', items: this.translations.items }];
      case 'attention':
        return [{ ...this.attentionData(), headReport: await this.keptHeadReport() }];
      case 'compare':
        return [await this.history.state()]; // read from disk
      case 'heads':
        return [await this.heads.state()];
    }
  }

  /**
   * The current model's head report for the attention panel (null: none, or unreadable, logged),
   * read once per change: finding the current run reads the whole history, and the panel is
   * refreshed after every epoch while training.
   */
  private keptHeadReport(): Promise<ModelHeadReport | null> {
    this.headReport ??= this.heads.kept().catch((err: unknown) => {
      this.log.warn(`Attention panel: could not read the head report: ${errorText(err)}`);
      this.headReport = null; // read again next time
      return null;
    });
    return this.headReport;
  }

  /** Another current run or a new scoring: the attention panel shows that head report. */
  headReportChanged(): void {
    this.headReport = null;
    this.panels.refresh('attention').catch((err: unknown) => this.log.warn(errorText(err)));
  }

  /** Logs a failure and shows it, with a button to the log. */
  reportError(what: string, err: unknown): void {
    const message = errorText(err);
    this.log.error(`${what}: ${message}`);
    void vscode.window
      .showErrorMessage(`${what}: ${message}`, 'Show Log')
      .then((choice) => choice && this.log.show());
  }

  dispose(): void {
    this.heads.cancel();
    const parts = [
      this.log,
      this.statusBar,
      this.translations,
      this.training,
      this.runsTree,
      this.sourceHighlight,
    ];
    for (const part of parts) part.dispose();
  }
}
