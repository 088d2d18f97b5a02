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

export type WorkerToHost =
  | BackendSelectedMessage
  | DataReadyMessage
  | EpochMessage
  | SnapshotMessage
  | TrainingDoneMessage
  | TranslateResultMessage
  | WorkerLogMessage
  | WorkerErrorMessage;

// ---------------------------------------------------------------- host -> webviews

export type PanelKind = 'training' | 'translation' | 'attention';

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
}

/** One more point for the live loss curve (appended, not re-rendered). */
export interface TrainingEpochMessage {
  type: 'trainingEpoch';
  point: EpochPoint;
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
  format: 'png' | 'svg' | 'json';
  /** File name suggestion, without folder. */
  suggestedName: string;
  /** png: a data: URL; svg: the markup; json: the serialised data. */
  content: string;
}

export interface WebviewErrorMessage {
  type: 'webviewError';
  message: string;
}

export interface OpenSettingsMessage {
  type: 'openSettings';
}

export type WebviewToHost =
  | ReadyMessage
  | RenderedMessage
  | CancelRequestMessage
  | ShowAttentionMessage
  | TranslateSentenceMessage
  | ExportMessage
  | WebviewErrorMessage
  | OpenSettingsMessage;
