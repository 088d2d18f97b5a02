/**
 * The messages between the extension host and its model worker (src/worker/modelWorker.ts):
 * one union per direction. Types only.
 */
import type { BackendChoice, PositionMode, TrainingThreads } from '../config/choices';
import type { Hyperparameters } from '../config/hyperparameters';
import type {
  AttentionSnapshot,
  BackendReport,
  BatchProgress,
  DecodingRequest,
  EpochPoint,
  HeldOutScore,
  TrainingSummary,
  TranslationItem,
} from './payloads';
import type { HeadReport, HeadsProgress } from './headReport';
import type {
  MaskedTranslateRequestMessage,
  MaskedTranslateResultMessage,
  ModelTarget,
  WalkthroughRequestMessage,
  WalkthroughResultMessage,
} from './exploreMessages';
import type { ImportedSource, RunMetrics } from './runRecord';

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

/** Open Model…: read and check a model file off the host's thread (answered by modelFileRead). */
export interface ReadModelFileMessage {
  type: 'readModelFile';
  requestId: number;
  /** A .pt, or a .safetensors with its sidecar .json beside it. */
  file: string;
}

/** Scores every head of a checkpoint over held-out pairs (answered by headsResult or error). */
export interface ScoreHeadsMessage {
  type: 'scoreHeads';
  requestId: number;
  checkpointDir: string;
  /** The corpus the model trained on: the held-out pairs are the `count` after its pairs. */
  corpusPath: string;
  count: number;
  positionMode: PositionMode;
  backend: BackendChoice;
  wasmDir: string;
  gpuModulePaths: string[];
}

/**
 * A model's held-out BLEU (src/decode/evaluate.ts): the `count` pairs after its training pairs
 * greedy-translated and scored (answered by heldOutResult or error). For a run that lacks it: an
 * imported model, or a run trained with heldOutCount 0.
 */
export interface ScoreHeldOutMessage extends ModelTarget {
  type: 'scoreHeldOut';
  requestId: number;
  /** The corpus whose pairs after the model's numExamples (+1, the book's quirk) are scored. */
  corpusPath: string;
  count: number;
}

/**
 * Stops the long request (scoreHeads, scoreHeldOut) numbered `cancels` at its next unit of
 * work; it then answers an error ("… was cancelled"). Unknown or finished requests are ignored.
 * (Not `requestId`: this message is no request, and gets no reply.)
 */
export interface CancelLongRequestMessage {
  type: 'cancelLongRequest';
  cancels: number;
}

export type HostToWorker =
  | StartTrainingMessage
  | CancelTrainingMessage
  | TranslateRequestMessage
  | ReadModelFileMessage
  | ScoreHeadsMessage
  | ScoreHeldOutMessage
  | CancelLongRequestMessage
  | MaskedTranslateRequestMessage
  | WalkthroughRequestMessage;

/** A request of the host that the worker answers with one reply (or an error with its id). */
export type WorkerRequest = Extract<HostToWorker, { requestId: number }>;

/** The reply each request type gets: its result message repeats the request's id. */
export interface WorkerReplies {
  translate: TranslateResultMessage;
  readModelFile: ModelFileReadMessage;
  maskedTranslate: MaskedTranslateResultMessage;
  headWalkthrough: WalkthroughResultMessage;
  scoreHeads: HeadsResultMessage;
  scoreHeldOut: HeldOutResultMessage;
}

export type WorkerReply = WorkerReplies[keyof WorkerReplies];

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
  seeds: RunMetrics['seeds'];
  heldOut: RunMetrics['heldOut'];
  /** Null when cancelled before the first epoch ended (nothing new saved). */
  checkpointDir: string | null;
}

export interface TranslateResultMessage {
  type: 'translateResult';
  requestId: number;
  items: TranslationItem[];
}

/** A model file read and checked, as checkpoint contents (the host keeps it as a run). */
export interface ModelFileReadMessage {
  type: 'modelFileRead';
  requestId: number;
  format: ImportedSource['format'];
  /** What src/checkpoint/commit.ts's commitCheckpoint takes (spelled out: webviews see this file). */
  contents: {
    hyperparameters: Hyperparameters;
    srcVocab: string[];
    tgtVocab: string[];
    weights: { name: string; shape: number[]; offset: number }[];
    metrics?: RunMetrics | Readonly<Record<string, unknown>>;
  };
  /** The weights, float32 little-endian, in the order of `contents.weights`. */
  bytes: Uint8Array;
}

export interface HeadsProgressMessage {
  type: 'headsProgress';
  requestId: number;
  progress: HeadsProgress;
}

export interface HeadsResultMessage {
  type: 'headsResult';
  requestId: number;
  report: HeadReport;
}

/** How far scoreHeldOut has got: `done` of `total` pairs translated. */
export interface HeldOutProgressMessage {
  type: 'heldOutProgress';
  requestId: number;
  done: number;
  total: number;
}

export interface HeldOutResultMessage {
  type: 'heldOutResult';
  requestId: number;
  heldOut: HeldOutScore;
}

/** The progress of a request, sent with its id while it runs (WorkerClient hands it on). */
export type RequestProgressMessage = HeadsProgressMessage | HeldOutProgressMessage;

export interface WorkerLogMessage {
  type: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface WorkerErrorMessage {
  type: 'error';
  /** Set when the failure answers a request (translate, readModelFile, scoreHeads, …). */
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
  | HeadsProgressMessage
  | HeadsResultMessage
  | HeldOutProgressMessage
  | HeldOutResultMessage
  | ModelFileReadMessage
  | MaskedTranslateResultMessage
  | WalkthroughResultMessage
  | WorkerLogMessage
  | WorkerErrorMessage;
