/**
 * Extension entry point: wires commands, panels, the status bar and the training controller.
 * Activation is cheap: TensorFlow.js is only ever loaded inside worker threads.
 */
import * as vscode from 'vscode';
import { AttentionPanel } from './panels/attentionPanel';
import { CompareRunsPanel } from './panels/compareRunsPanel';
import { PanelHost } from './panels/panelHost';
import { TrainingPanel } from './panels/trainingPanel';
import { TranslationPanel } from './panels/translationPanel';
import type {
  AttentionDataMessage,
  CompareAttentionResultMessage,
  HostToWebview,
  PanelKind,
  RunRecord,
  RunsStateMessage,
  TranslationItem,
  WebviewToHost,
} from './shared/protocol';
import { installGpuBackend } from './host/gpuInstaller';
import { extensionPaths } from './host/paths';
import { parseSelection, SentenceRequest } from './host/selection';
import { compareRunsOn, confirmAndDeleteRun, makeRunCurrent } from './host/runActions';
import { RunHistory } from './host/runHistory';
import { readSettings } from './host/settings';
import { staleDifferences } from './host/staleness';
import { TrainingStatusBar } from './host/statusBar';
import { TrainingController } from './host/trainingController';
import { TranslationService } from './host/translationService';

/** What activate() returns: read by the integration tests, harmless for anyone else. */
export interface ExtensionApi {
  readonly checkpointDir: string;
  isTraining(): boolean;
  trainingState(): import('./shared/protocol').TrainingStateMessage;
  translations(): TranslationItem[];
  attentionData(): AttentionDataMessage;
  /** Charts each panel reported on screen after its last render. */
  renderedCharts(panel: PanelKind): number | undefined;
  /** Why the last Train Transformer was refused (invalid settings), if it was. */
  lastRefusal(): string | null;
  /** Resolves when the current training run has ended (at once if none runs). */
  whenTrainingDone(): Promise<void>;
  /** The run history as the Compare Runs panel gets it. */
  runs(): Promise<RunsStateMessage>;
  makeRunCurrent(runId: string): Promise<RunRecord>;
  /** What Make current's "Use Its Settings" does: the settings it changed, as `key = value`. */
  useRunSettings(runId: string): Promise<string[]>;
  /** Deletes without asking (the panel's Delete asks first). */
  deleteRun(runId: string): Promise<boolean>;
  /** What the Compare Runs panel's Compare button gets back. */
  compareAttention(
    runIds: [string, string],
    sentence: string,
  ): Promise<CompareAttentionResultMessage>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('Transformer Attention Explorer', { log: true });
  const paths = extensionPaths(context);
  const statusBar = new TrainingStatusBar();
  const translations = new TranslationService(context, paths, log);
  const rendered = new Map<PanelKind, number>();
  let trainingRun: Promise<void> = Promise.resolve();

  const attentionData = (): AttentionDataMessage => ({
    type: 'attentionData',
    current: translations.current,
    snapshots: controller.snapshots,
  });

  const controller = new TrainingController(context, paths, log, {
    stateChanged: (state) => {
      statusBar.update(state);
      TrainingPanel.currentPanel?.post(state);
    },
    epoch: (point) => {
      statusBar.epoch(point);
      TrainingPanel.currentPanel?.post({ type: 'trainingEpoch', point });
    },
    batch: (progress) => {
      statusBar.batch(progress);
      TrainingPanel.currentPanel?.post({ type: 'trainingBatch', progress });
    },
    snapshot: () => AttentionPanel.currentPanel?.post(attentionData()),
    ended: (state, checkpointDir, settings) => history.record(state, checkpointDir, settings),
  });
  const postRuns = async () => {
    const panel = CompareRunsPanel.currentPanel;
    if (panel) void panel.post(await history.state());
  };
  const history = new RunHistory(paths, log, translations, () => void postRuns());

  statusBar.update(controller.state);

  const showTranslations = (items: TranslationItem[]) => {
    TranslationPanel.createOrShow(host);
    TranslationPanel.currentPanel?.post({ type: 'translations', items: translations.items });
    AttentionPanel.currentPanel?.post(attentionData());
    return items;
  };

  const translate = async (
    sentences: SentenceRequest[],
  ): Promise<TranslationItem[] | undefined> => {
    if (!translations.hasModel()) {
      void vscode.window
        .showInformationMessage(
          'There is no trained model yet. Train one first (the book’s settings take a few minutes).',
          'Train Transformer',
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('transformerExplorer.train');
        });
      return undefined;
    }
    try {
      const items = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Translating…' },
        () => translations.translate(sentences),
      );
      return showTranslations(items);
    } catch (err) {
      reportError('Translation failed', err);
      return undefined;
    }
  };

  const reportError = (what: string, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`${what}: ${message}`);
    void vscode.window
      .showErrorMessage(`${what}: ${message}`, 'Show Log')
      .then((c) => c && log.show());
  };

  const host: PanelHost = {
    extensionUri: context.extensionUri,
    log,
    initialMessages: (panel): HostToWebview[] => {
      switch (panel) {
        case 'training':
          return [controller.state];
        case 'translation':
          return [{ type: 'translations', items: translations.items }];
        case 'attention':
          return [attentionData()];
        case 'compare':
          void postRuns(); // read from disk: posted when ready
          return [];
      }
    },
    onMessage: (panel, message: WebviewToHost) => {
      switch (message.type) {
        case 'ready':
          log.debug(`${panel} panel ready`);
          return;
        case 'rendered':
          rendered.set(panel, message.charts);
          log.debug(`${panel} panel rendered ${message.charts} charts`);
          return;
        case 'cancelTraining':
          controller.stop();
          return;
        case 'openSettings':
          void vscode.commands.executeCommand('transformerExplorer.openSettings');
          return;
        case 'showAttention':
          if (translations.select(message.translationId)) {
            AttentionPanel.createOrShow(host);
            AttentionPanel.currentPanel?.post(attentionData());
          }
          return;
        case 'translateSentence': {
          const parsed = parseSelection(message.sentence);
          if (!parsed.ok) void vscode.window.showWarningMessage(parsed.message);
          else void translate(parsed.sentences);
          return;
        }
        case 'makeRunCurrent':
          makeRunCurrent(history, message.runId).catch((err: unknown) =>
            reportError('Could not make the run current', err),
          );
          return;
        case 'deleteRun':
          confirmAndDeleteRun(history, message.runId).catch((err: unknown) =>
            reportError('Could not delete the run', err),
          );
          return;
        case 'compareAttention':
          compareRunsOn(history, message.runIds, message.sentence)
            .then((result) => CompareRunsPanel.currentPanel?.post(result))
            .catch((err: unknown) => reportError('Could not compare the runs', err));
          return;
        case 'webviewError':
          log.error(`${panel} panel: ${message.message}`);
          return;
        default:
          return;
      }
    },
  };

  const register = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(`transformerExplorer.${id}`, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          reportError(`Transformer: ${id} failed`, err);
          return undefined;
        }
      }),
    );

  register('train', () => {
    const wasRunning = controller.running;
    if (!wasRunning) TrainingPanel.createOrShow(host);
    const run = controller.start();
    if (wasRunning || !controller.running) return run; // refused: already running, or bad settings
    trainingRun = run;
    return undefined; // the command returns at once; the run goes on (see whenTrainingDone)
  });
  register('stopTraining', () => {
    if (!controller.stop()) void vscode.window.showInformationMessage('No training is running.');
  });
  register('translateSelection', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Open a file and select English text to translate.');
      return undefined;
    }
    const text = editor.selections.map((s) => editor.document.getText(s)).join('\n');
    const parsed = parseSelection(text);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage(parsed.message);
      return undefined;
    }
    const items = await translate(parsed.sentences);
    const first = items?.[0];
    if (first) {
      const bleu = first.bleu !== undefined ? ` (BLEU ${first.bleu.toFixed(3)})` : '';
      const unk = first.unknownTokens.length
        ? ` Unknown words: ${first.unknownTokens.join(', ')}.`
        : '';
      void vscode.window
        .showInformationMessage(
          `“${first.source}” → “${first.translation}”${bleu}.${unk}`,
          'Show Attention',
        )
        .then((c) => c && vscode.commands.executeCommand('transformerExplorer.openAttention'));
    }
    return items;
  });
  register('openAttention', () => {
    AttentionPanel.createOrShow(host);
    AttentionPanel.currentPanel?.post(attentionData());
  });
  register('showTraining', () => TrainingPanel.createOrShow(host));
  register('compareRuns', () => {
    CompareRunsPanel.createOrShow(host);
  });
  register('installGpu', () => installGpuBackend(paths.gpuModulesDir, log));
  register('openSettings', () =>
    vscode.commands.executeCommand(
      'workbench.action.openSettings',
      '@ext:transformer-attention-explorer.transformer-attention-explorer',
    ),
  );
  register('showLog', () => log.show());

  for (const [viewType, revive] of [
    [TrainingPanel.viewType, TrainingPanel.revive],
    [TranslationPanel.viewType, TranslationPanel.revive],
    [AttentionPanel.viewType, AttentionPanel.revive],
    [CompareRunsPanel.viewType, CompareRunsPanel.revive],
  ] as const) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          revive(panel, host);
        },
      }),
    );
  }

  let staleTimer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('transformer')) return;
      clearTimeout(staleTimer);
      staleTimer = setTimeout(() => void warnIfStale(), 1000);
    }),
  );
  const warnIfStale = async () => {
    const read = readSettings();
    if (!read.ok || controller.running) return;
    const diff = await staleDifferences(paths.checkpointDir, read.settings.hyperparameters);
    if (diff.length === 0) return;
    log.info(`The saved model is stale: ${diff.join('; ')}`);
    const choice = await vscode.window.showWarningMessage(
      `The trained model no longer matches the settings (${diff.join('; ')}). Retrain it?`,
      'Train Transformer',
    );
    if (choice) void vscode.commands.executeCommand('transformerExplorer.train');
  };

  context.subscriptions.push(log, statusBar, translations, controller, {
    dispose: () => clearTimeout(staleTimer),
  });
  log.info('Transformer Attention Explorer activated');

  return {
    checkpointDir: paths.checkpointDir,
    isTraining: () => controller.running,
    trainingState: () => controller.state,
    translations: () => translations.items,
    attentionData,
    renderedCharts: (panel) => rendered.get(panel),
    whenTrainingDone: () => trainingRun,
    lastRefusal: () => controller.lastRefusal,
    runs: () => history.state(),
    makeRunCurrent: (runId) => makeRunCurrent(history, runId),
    useRunSettings: (runId) => history.useSettingsOf(runId),
    deleteRun: (runId) => history.delete(runId),
    compareAttention: async (runIds, sentence) => {
      const result = await compareRunsOn(history, runIds, sentence);
      void CompareRunsPanel.currentPanel?.post(result);
      return result;
    },
  };
}

export function deactivate(): void {
  // Disposables registered on the context stop the workers.
}
