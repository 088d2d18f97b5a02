import { cpus } from 'node:os';
import type { AttentionFunction } from '../model/config';
import type { TrainingThreads } from '../config/choices';

/**
 * Two threads (data-parallel, src/train/parallel.ts) pay off on the single-threaded wasm backend
 * when there is a second core; the GPU and cpu backends train on one. So does additive attention,
 * whatever the choice: the two-thread trainer works on the Tape, which it does not support.
 */
export function trainingThreads(
  choice: TrainingThreads,
  backend: string,
  attentionFunction: AttentionFunction = 'dotProduct',
): 1 | 2 {
  if (backend !== 'wasm' || attentionFunction !== 'dotProduct') return 1;
  if (choice === '2') return 2;
  if (choice === '1') return 1;
  return cpus().length >= 2 ? 2 : 1;
}
