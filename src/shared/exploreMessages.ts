/**
 * The attention panel's explore messages (issue 13): switch heads off and translate again, and
 * one head step by step. Host <-> worker requests carry a `requestId` that their reply repeats
 * (WorkerClient pairs them); webview -> host requests are answered by one reply each. They join
 * the unions of ./workerMessages.ts and ./webviewMessages.ts. Types only.
 */
import type { BackendChoice, PositionMode } from '../config/choices';
import type { AttentionMaps } from '../decode/attentionMaps';
import type { HeadWalkthrough } from '../explore/headWalkthrough';
import type { TokenChange } from '../explore/maskedTranslate';
import type { HeadRef } from '../model/headMask';

export type { HeadRef, TokenChange };

/** Which model a worker request uses, and how to run it (as a translate request says). */
export interface ModelTarget {
  checkpointDir: string;
  positionMode: PositionMode;
  backend: BackendChoice;
  wasmDir: string;
  gpuModulePaths: string[];
}

/** A sentence translated again with some heads off (src/explore/maskedTranslate.ts). */
export interface MaskedResult {
  translation: string;
  tokens: string[];
  attention: AttentionMaps;
  off: HeadRef[];
  /** BLEU-2 against the reference, or null without one. */
  bleu: number | null;
  /** From the original translation's tokens to these. */
  changes: TokenChange[];
  /** Worker-side time of the masked translation, ms. */
  milliseconds: number;
}

/** One head, one query, step by step (src/explore/headWalkthrough.ts), with the translation's
 * text in place of the Translation (its maps are the panel's already). */
export type WalkthroughResult = Omit<HeadWalkthrough, 'translation'> & {
  /** The greedy translation the numbers come from. */
  translation: string;
};

// ---------------------------------------------------------------- host -> worker

export interface MaskedTranslateRequestMessage extends ModelTarget {
  type: 'maskedTranslate';
  requestId: number;
  sentence: string;
  reference?: string;
  /** The tokens of the translation shown (the diff's "before"). */
  original: string[];
  off: HeadRef[];
  /** Beam search with this beam (> 1); greedy otherwise. */
  beamSize?: number;
}

export interface WalkthroughRequestMessage extends ModelTarget, HeadRef {
  type: 'headWalkthrough';
  requestId: number;
  sentence: string;
  query: number;
  off: HeadRef[];
}

// ---------------------------------------------------------------- worker -> host

export interface MaskedTranslateResultMessage {
  type: 'maskedTranslateResult';
  requestId: number;
  result: MaskedResult;
}

export interface WalkthroughResultMessage {
  type: 'headWalkthroughResult';
  requestId: number;
  walkthrough: WalkthroughResult;
}

// ---------------------------------------------------------------- webview -> host

/** Translate the panel's translation `translationId` again with the heads `off` (none: reset). */
export interface MaskHeadsMessage {
  type: 'maskHeads';
  translationId: number;
  off: HeadRef[];
}

/** One head of translation `translationId` step by step at query row `query`. */
export interface WalkHeadMessage extends HeadRef {
  type: 'walkHead';
  translationId: number;
  query: number;
  off: HeadRef[];
}

// ---------------------------------------------------------------- host -> webview

export interface MaskedTranslationMessage {
  type: 'maskedTranslation';
  translationId: number;
  off: HeadRef[];
  result?: MaskedResult;
  error?: string;
}

export interface HeadWalkthroughMessage {
  type: 'headWalkthrough';
  translationId: number;
  walkthrough?: WalkthroughResult;
  error?: string;
}
