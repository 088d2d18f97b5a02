/**
 * The payloads that several messages carry (src/shared/protocol.ts lists the messages): a
 * backend, an epoch's point on the loss curve, a scored translation, held-out scores, progress,
 * a training summary, attention snapshots and translations. Types only.
 */
import type { AttentionMaps } from '../decode/attentionMaps';

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

/** Where a source longer than numSteps tokens was cut (the book's truncate_pad drops the rest). */
export interface SourceTruncation {
  /** Tokens the model saw: numSteps. */
  keptTokens: number;
  /** Tokens of the sentence after the book's preprocessing. */
  totalTokens: number;
  /** The last token the model saw and the first it did not: "cut after “x”, before “y”". */
  lastKept: string;
  firstCut: string;
}

export interface ScoredSentence {
  source: string;
  reference?: string;
  translation: string;
  bleu?: number; // the book's bleu(pred, label, 2), when a reference is known
  /** Unknown words among the tokens the model saw (the first numSteps). */
  unknownTokens: string[];
  /** Set when the sentence was longer than numSteps tokens: where it was cut. */
  truncation?: SourceTruncation;
}

/**
 * A model's held-out BLEU (src/decode/evaluate.ts evaluateRange): greedy translations of the
 * held-out pairs scored against their references. Training runs score it when they end, imported
 * runs on import or on demand (Score Held-out BLEU).
 */
export interface HeldOutScore {
  /** Pairs scored. */
  count: number;
  /** Mean of the book's bleu(pred, label, k=2) over the pairs. */
  meanBleu2: number;
  /** Standard corpus BLEU-4 (brevity penalty, no smoothing). */
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
