/**
 * Every message that crosses a process or frame boundary, in one place: one interface per
 * message and a union for each direction.
 *
 *   extension host  <->  training worker (worker_threads)   HostToWorker / WorkerToHost
 *   extension host  <->  webview panels                      HostToWebview / WebviewToHost
 *
 * Types only (plus the guards in ./validate.ts): no vscode or tfjs import, so the webview
 * bundles, the worker and the host all import it.
 */
import type { AttentionMaps } from '../decode/attentionMaps';
import type { Hyperparameters } from '../config/hyperparameters';

export type PositionMode = 'correct' | 'book';
export type BackendChoice = 'auto' | 'gpu' | 'wasm' | 'cpu';

// ---------------------------------------------------------------- shared payloads

export interface BackendReport {
  name: string; // tfjs's name: 'tensorflow' | 'wasm' | 'cpu'
  label: string; // for people: "WebAssembly (SIMD)"
  reason: string;
}

export interface EpochPoint {
  epoch: number;
  numEpochs: number;
  lossPerToken: number;
  tokensPerSecond: number;
  elapsedSeconds: number;
  steps: number;
}

export interface ScoredSentence {
  source: string;
  reference?: string;
  translation: string;
  bleu?: number; // the book's bleu(pred, label, 2), when a reference is known
  unknownTokens: string[];
}

export interface HeldOutScore {
  count: number;
  meanBleu2: number;
  corpusBleu4: number;
}

/** Progress inside an epoch (training) or through the held-out pairs (evaluation). */
export interface BatchProgress {
  phase: 'train' | 'heldOut';
  /** 1-based epoch being trained (for heldOut: the last epoch). */
  epoch: number;
  numEpochs: number;
  /** Mini-batches done in this epoch (heldOut: sentences translated). */
  done: number;
  /** Mini-batches in an epoch (heldOut: sentences to translate). */
  total: number;
  elapsedSeconds: number;
}

export interface TrainingSummary {
  epochsCompleted: number;
  lossPerToken: number;
  tokensPerSecond: number;
  seconds: number;
  cancelled: boolean;
}

/** Attention of a fixed probe pair, teacher-forced, captured every few epochs. */
export interface AttentionSnapshot {
  epoch: number;
  maps: AttentionMaps;
}

/** How a translation was decoded: greedily, or by beam search (d2l.ai §9.8). */
export type DecodingRequest =
  { kind: 'greedy' } | { kind: 'beam'; beamSize: number; alpha: number };

/** One ended output of beam search, best score first (candidates[0] is the translation). */
export interface TranslationCandidate {
  translation: string;
  /** Σ log P(yt | y<t, c), `<eos>` included when it ended with one. */
  logProb: number;
  /** The book's length-normalised score, logProb / L^alpha. */
  score: number;
  /** The book's bleu(pred, label, 2), when a reference is known. */
  bleu?: number;
}

export interface TranslationItem extends ScoredSentence {
  id: number;
  attention: AttentionMaps;
  /** For people: "greedy" or "beam search (beam 3, α = 0.75)". */
  decoding?: string;
  /** Beam search only: the ranked ended outputs (the translation and its attention are the first). */
  candidates?: TranslationCandidate[];
}

/**
 * One training run as the run history keeps it (run.json beside the run's checkpoint): what was
 * trained, on what, how it went, and what it translates.
 */
export interface RunRecord {
  /** Folder name under runs/: `run-<number>-<time>`, [a-z0-9-] only. */
  id: string;
  /** 1-based, increasing: "Run 7". */
  number: number;
  createdAt: string;
  status: 'finished' | 'cancelled' | 'failed';
  hyperparameters: Hyperparameters;
  positionMode: PositionMode;
  backend: BackendReport | null;
  points: EpochPoint[];
  summary: TrainingSummary | null;
  seeds: ScoredSentence[];
  heldOut: HeldOutScore | null;
  /** Whether runs/<id>/checkpoint holds the trained model (not for cancelled or failed runs). */
  hasCheckpoint: boolean;
  /** Source/target pairs trained on (absent in runs recorded before it was kept). */
  pairs?: number;
  /** Bytes on disk (run.json and checkpoint). */
  sizeBytes: number;
  /** Why a failed run failed. */
  error?: string;
}

// ---------------------------------------------------------------- host -> worker

export interface StartTrainingMessage {
  type: 'startTraining';
  hyperparameters: Hyperparameters;
  backend: BackendChoice;
  /** fra.txt (or a zip) already resolved by the host: downloaded and cached, or the local file. */
  corpusPath: string;
  checkpointDir: string;
  wasmDir: string;
  gpuModulePaths: string[];
  positionMode: PositionMode;
  probe: { source: string; target: string };
  snapshotEvery: number;
  heldOutCount: number;
  /** Training threads: 'auto' uses two on the wasm backend when the machine has two cores. */
  threads: TrainingThreads;
}

export type TrainingThreads = 'auto' | '1' | '2';

export interface CancelTrainingMessage {
  type: 'cancelTraining';
}

export interface TranslateRequestMessage {
  type: 'translate';
  requestId: number;
  checkpointDir: string;
  sentences: { source: string; reference?: string }[];
  /** Where to look up a reference for sentences without one (the corpus, when available). */
  corpusPath?: string;
  positionMode: PositionMode;
  backend: BackendChoice;
  wasmDir: string;
  gpuModulePaths: string[];
  decoding: DecodingRequest;
}

export type HostToWorker = StartTrainingMessage | CancelTrainingMessage | TranslateRequestMessage;

// ---------------------------------------------------------------- worker -> host

export interface BackendSelectedMessage {
  type: 'backendSelected';
  backend: BackendReport;
}

export interface DataReadyMessage {
  type: 'dataReady';
  pairs: number;
  srcVocabSize: number;
  tgtVocabSize: number;
  parameters: number;
}

export interface EpochMessage {
  type: 'epoch';
  point: EpochPoint;
}

export interface SnapshotMessage {
  type: 'snapshot';
  snapshot: AttentionSnapshot;
}

export interface TrainingDoneMessage {
  type: 'trainingDone';
  summary: TrainingSummary;
  seeds: ScoredSentence[];
  heldOut: HeldOutScore | null;
  /** Null when cancelled before the first epoch ended (nothing new saved). */
  checkpointDir: string | null;
}

export interface TranslateResultMessage {
  type: 'translateResult';
  requestId: number;
  items: TranslationItem[];
}

export interface WorkerLogMessage {
  type: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface WorkerErrorMessage {
  type: 'error';
  /** Set when the failure answers a translate request. */
  requestId?: number;
  message: string;
  stack?: string;
}

/** Sent a few times a second at most, inside an epoch or through the held-out pairs. */
export interface BatchProgressMessage {
  type: 'batchProgress';
  progress: BatchProgress;
}

export type WorkerToHost =
  | BackendSelectedMessage
  | DataReadyMessage
  | BatchProgressMessage
  | EpochMessage
  | SnapshotMessage
  | TrainingDoneMessage
  | TranslateResultMessage
  | WorkerLogMessage
  | WorkerErrorMessage;

// ---------------------------------------------------------------- host -> webviews

export type PanelKind = 'training' | 'translation' | 'attention' | 'compare';

/** Full state of the training panel, sent after `ready` (and restorable from it). */
export interface TrainingStateMessage {
  type: 'trainingState';
  status: 'idle' | 'preparing' | 'training' | 'finished' | 'cancelled' | 'failed';
  statusText: string;
  hyperparameters: Hyperparameters | null;
  backend: BackendReport | null;
  points: EpochPoint[];
  seeds: ScoredSentence[];
  heldOut: HeldOutScore | null;
  summary: TrainingSummary | null;
  /** Source/target pairs trained on, once the data is read (fewer than numExamples asks for
   * when the corpus runs out). */
  pairs?: number;
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
}

export interface ExportResultMessage {
  type: 'exportResult';
  ok: boolean;
  message: string;
}

export type HostToWebview =
  | TrainingStateMessage
  | TrainingEpochMessage
  | TrainingBatchMessage
  | RunsStateMessage
  | CompareAttentionResultMessage
  | TranslationsMessage
  | AttentionDataMessage
  | ExportResultMessage;

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
export type PanelCommand = 'train';

/** A panel's button runs a command, e.g. an empty state's "Train Transformer". */
export interface RunCommandMessage {
  type: 'runCommand';
  command: PanelCommand;
}

/** Compare Runs: translate one sentence with two runs and send back both attentions. */
export interface CompareAttentionRequestMessage {
  type: 'compareAttention';
  runIds: [string, string];
  sentence: string;
}

export type WebviewToHost =
  | ReadyMessage
  | RenderedMessage
  | CancelRequestMessage
  | ShowAttentionMessage
  | TranslateSentenceMessage
  | ExportMessage
  | WebviewErrorMessage
  | OpenSettingsMessage
  | MakeRunCurrentMessage
  | DeleteRunMessage
  | CompareAttentionRequestMessage
  | RunCommandMessage;
