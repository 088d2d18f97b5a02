/**
 * The settings that are one of a few strings, each declared once: the extension's settings,
 * the CLI's flags, the protocol and the run-record guard all use these. No imports with code:
 * the webview bundles this file.
 */
import type { PositionMode } from '../model/config';

export type { PositionMode };
export { BACKEND_CHOICES } from '../backend/choices';
export type { BackendChoice } from '../backend/choices';

/** `correct` (the default) or `book`: see PositionMode. */
export const POSITION_MODES: readonly PositionMode[] = ['correct', 'book'];

/** Training threads: 'auto' uses two on the wasm backend when the machine has two cores. */
export type TrainingThreads = 'auto' | '1' | '2';
export const TRAINING_THREADS: readonly TrainingThreads[] = ['auto', '1', '2'];

/** How translations are decoded: greedily (the book's predict_seq2seq) or by beam search. */
export type DecodingKind = 'greedy' | 'beam';
export const DECODING_KINDS: readonly DecodingKind[] = ['greedy', 'beam'];
