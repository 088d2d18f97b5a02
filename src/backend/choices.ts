/** The backends a user can ask for (no tfjs import: the extension host validates settings with it). */
export type BackendChoice = 'auto' | 'gpu' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'gpu', 'wasm', 'cpu'];
