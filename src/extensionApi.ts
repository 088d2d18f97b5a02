/**
 * What activate() returns: the integration tests (test/integration/) read the extension's state
 * and press the Compare Runs panel's buttons through it; harmless for anyone else.
 */
import type { Explorer } from './host/explorer';
import { makeRunCurrent } from './host/runActions';
import type { SourceHighlightState } from './host/sourceHighlight';
import type {
  AttentionDataMessage,
  CompareAttentionResultMessage,
  HostToWebview,
  PanelKind,
  RunRecord,
  RunsStateMessage,
  TrainingStateMessage,
  TranslationItem,
  WebviewToHost,
} from './shared/protocol';

export interface ExtensionApi {
  readonly checkpointDir: string;
  isTraining(): boolean;
  trainingState(): TrainingStateMessage;
  translations(): TranslationItem[];
  attentionData(): AttentionDataMessage;
  /** Charts each panel reported on screen after its last render. */
  renderedCharts(panel: PanelKind): number | undefined;
  /** The training status bar item's text now. */
  statusBarText(): string;
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
  /** What the Compare Runs panel's Compare button gets back (and the panel shows). */
  compareAttention(
    runIds: [string, string],
    sentence: string,
  ): Promise<CompareAttentionResultMessage>;
  /** What the attention panel gets back for a request of its own (maskHeads, walkHead). */
  attentionRequest(message: WebviewToHost): Promise<HostToWebview | undefined>;
  /** As if the Translations panel's webview had sent `message` (e.g. highlightSource). */
  translationRequest(message: WebviewToHost): Promise<HostToWebview | undefined>;
  /** The source words highlighted in the editor now, per strength bucket (weakest first). */
  sourceHighlights(): SourceHighlightState;
}

export function extensionApi(explorer: Explorer): ExtensionApi {
  const { training, translations, history, panels } = explorer;
  return {
    checkpointDir: explorer.paths.checkpointDir,
    isTraining: () => training.running,
    trainingState: () => training.state,
    translations: () => translations.items,
    attentionData: () => explorer.attentionData(),
    renderedCharts: (panel) => explorer.renderedCharts.get(panel),
    statusBarText: () => explorer.statusBar.text,
    whenTrainingDone: () => training.whenDone(),
    lastRefusal: () => training.lastRefusal,
    runs: () => history.state(),
    makeRunCurrent: (runId) => makeRunCurrent(history, runId),
    useRunSettings: (runId) => history.useSettingsOf(runId),
    deleteRun: (runId) => history.delete(runId),
    compareAttention: async (runIds, sentence) => {
      // The same path as the panel's Compare button: the reply goes to the panel too.
      const reply = await panels.request('compare', { type: 'compareAttention', runIds, sentence });
      if (reply?.type !== 'compareAttentionResult') {
        throw new Error('The runs could not be compared (see the log)');
      }
      return reply;
    },
    attentionRequest: (message) => panels.request('attention', message),
    translationRequest: (message) => panels.request('translation', message),
    sourceHighlights: () => explorer.sourceHighlight.state(),
  };
}
