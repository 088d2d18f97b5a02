import { cpus } from 'node:os';
import type { TrainingThreads } from '../config/choices';

/**
 * Two threads (data-parallel, src/train/parallel.ts) pay off on the single-threaded wasm backend
 * when there is a second core; the GPU and cpu backends train on one. Every attention function
 * (dot-product and additive) differentiates on the Tape, which the replicas need.
 */
export function trainingThreads(choice: TrainingThreads, backend: string): 1 | 2 {
  if (backend !== 'wasm') return 1;
  if (choice === '2') return 2;
  if (choice === '1') return 1;
  return cpus().length >= 2 ? 2 : 1;
}
