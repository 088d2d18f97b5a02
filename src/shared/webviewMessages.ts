/**
 * The messages between the extension host and its webview panels: one union per direction.
 * Types only; ./validate.ts parses them where they arrive.
 */
import type { Hyperparameters } from '../config/hyperparameters';
import type {
  AttentionSnapshot,
  BackendReport,
  BatchProgress,
  EpochPoint,
  TrainingSummary,
  TranslationItem,
} from './payloads';
import type { HeadReport, HeadsProgress } from './headReport';
import type {
  HeadWalkthroughMessage,
  MaskHeadsMessage,
  MaskedTranslationMessage,
  WalkHeadMessage,
} from './exploreMessages';
import type { RunMetrics, RunRecord } from './runRecord';
import type { HeadChoice } from './sourceAttention';

// ---------------------------------------------------------------- host -> webviews

export type PanelKind = 'training' | 'translation' | 'attention' | 'compare' | 'heads';

/** Full state of the training panel, sent after `ready` (and restorable from it). */
export interface TrainingStateMessage {
  type: 'trainingState';
  status: 'idle' | 'preparing' | 'training' | 'finished' | 'cancelled' | 'failed';
  statusText: string;
  hyperparameters: Hyperparameters | null;
  backend: BackendReport | null;
  points: EpochPoint[];
  seeds: RunMetrics['seeds'];
  heldOut: RunMetrics['heldOut'];
  summary: TrainingSummary | null;
  /** Source/target pairs trained on, once the data is read (fewer than numExamples asks for
   * when the corpus runs out). */
  pairs?: RunMetrics['pairs'];
}

/** One more point for the live loss curve (appended, not re-rendered). */
export interface TrainingEpochMessage {
  type: 'trainingEpoch';
  point: EpochPoint;
}

/** Progress inside the current epoch (not kept in TrainingStateMessage). */
export interface TrainingBatchMessage {
  type: 'trainingBatch';
  progress: BatchProgress;
}

/** Everything the Compare Runs panel shows, newest run first. */
export interface RunsStateMessage {
  type: 'runsState';
  runs: RunRecord[];
  /** The run whose checkpoint is the current model (translations, attention panel). */
  currentRunId: string | null;
  totalBytes: number;
  limitBytes: number;
}

/** One side of an attention comparison: a run's translation of the sentence, or why not. */
export interface CompareSide {
  runId: string;
  /** For people: "Run 3 · 2 layers · dotProduct". */
  label: string;
  item: TranslationItem | null;
  error?: string;
}

export interface CompareAttentionResultMessage {
  type: 'compareAttentionResult';
  sentence: string;
  sides: CompareSide[];
}

export interface TranslationsMessage {
  type: 'translations';
  items: TranslationItem[];
}

export interface AttentionDataMessage {
  type: 'attentionData';
  /** The sentence shown; null before anything was translated. */
  current: TranslationItem | null;
  snapshots: AttentionSnapshot[];
  /**
   * The current model's head report (Score Head Importance), whose held-out averages the panel's
   * per-head statistics show beside the sentence's; null or absent when its heads were not scored.
   */
  headReport?: ModelHeadReport | null;
}

/** A head report and whose it is, for people ("Run 3 · 2 layers · dotProduct"). */
export interface ModelHeadReport {
  report: HeadReport;
  source: string;
}

export interface ExportResultMessage {
  type: 'exportResult';
  ok: boolean;
  message: string;
}

/** The Heads panel: the current model's head report (if scored) and a scoring in progress. */
export interface HeadsStateMessage {
  type: 'headsState';
  report: HeadReport | null;
  /** Whose report it is, for people: "Run 3 · 2 layers · dotProduct", or "the current model". */
  source: string | null;
  /** Set while the heads are being scored. */
  progress: HeadsProgress | null;
}

export type HostToWebview =
  | TrainingStateMessage
  | TrainingEpochMessage
  | TrainingBatchMessage
  | RunsStateMessage
  | CompareAttentionResultMessage
  | TranslationsMessage
  | AttentionDataMessage
  | ExportResultMessage
  | HeadsStateMessage
  | MaskedTranslationMessage
  | HeadWalkthroughMessage;

// ---------------------------------------------------------------- webviews -> host

export interface ReadyMessage {
  type: 'ready';
  panel: PanelKind;
}

/** The webview finished drawing what it was sent: how many charts are on screen. */
export interface RenderedMessage {
  type: 'rendered';
  panel: PanelKind;
  charts: number;
}

export interface CancelRequestMessage {
  type: 'cancelTraining';
}

export interface ShowAttentionMessage {
  type: 'showAttention';
  translationId: number;
}

/**
 * An output token of a translation is hovered or focused in the Translations panel (`target` is
 * its 0-based step), or none is any more (null): the editor highlights its source words by the
 * panel's chosen layer and head (or mean over heads), which the editor's hover follows too. Sent
 * with `target` null when only the choice changed.
 */
export interface HighlightSourceMessage extends HeadChoice {
  type: 'highlightSource';
  translationId: number;
  target: number | null;
}

export interface TranslateSentenceMessage {
  type: 'translateSentence';
  sentence: string;
}

export interface ExportMessage {
  type: 'export';
  format: 'png' | 'svg' | 'json' | 'csv';
  /** File name suggestion, without folder. */
  suggestedName: string;
  /** png: a data: URL; svg: the markup; json: the serialised data; csv: the table. */
  content: string;
}

export interface WebviewErrorMessage {
  type: 'webviewError';
  message: string;
}

export interface OpenSettingsMessage {
  type: 'openSettings';
}

/** Compare Runs: make this run's checkpoint the current model. */
export interface MakeRunCurrentMessage {
  type: 'makeRunCurrent';
  runId: string;
}

/** Compare Runs: delete this run (the host asks for confirmation). */
export interface DeleteRunMessage {
  type: 'deleteRun';
  runId: string;
}

/** The extension's commands a panel's button may run (transformerExplorer.<command>). */
export type PanelCommand = 'train' | 'openModel' | 'scoreHeadImportance' | 'scoreHeldOut';

/**
 * A panel's button runs a command, e.g. an empty state's "Train Transformer", or Compare Runs'
 * "Score Head Importance" for one run (`runId`: only the commands that take a run, RUN_COMMANDS
 * in validate.ts).
 */
export interface RunCommandMessage {
  type: 'runCommand';
  command: PanelCommand;
  runId?: string;
}

/** Compare Runs: translate one sentence with two runs and send back both attentions. */
export interface CompareAttentionRequestMessage {
  type: 'compareAttention';
  runIds: [string, string];
  sentence: string;
}

/** The Heads panel's buttons: score the current model's heads, or stop scoring. */
export interface ScoreHeadImportanceMessage {
  type: 'scoreHeadImportance';
}

export interface CancelHeadImportanceMessage {
  type: 'cancelHeadImportance';
}

export type WebviewToHost =
  | ReadyMessage
  | RenderedMessage
  | CancelRequestMessage
  | ShowAttentionMessage
  | HighlightSourceMessage
  | TranslateSentenceMessage
  | ExportMessage
  | WebviewErrorMessage
  | OpenSettingsMessage
  | MakeRunCurrentMessage
  | DeleteRunMessage
  | CompareAttentionRequestMessage
  | RunCommandMessage
  | ScoreHeadImportanceMessage
  | CancelHeadImportanceMessage
  | MaskHeadsMessage
  | WalkHeadMessage;
