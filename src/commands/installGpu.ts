import { installGpuBackend } from '../host/gpuInstaller';
import type { Command } from './command';

/** Install GPU Backend: tfjs-node-gpu into global storage, checked before it is used. */
export const installGpu: Command = {
  id: 'installGpu',
  run: ({ paths, log }) => installGpuBackend(paths.gpuModulesDir, log),
};
