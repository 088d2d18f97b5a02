import { confirmGpuInstall, installGpuBackend } from '../host/gpuInstaller';
import type { Command } from './command';

/** Install GPU Backend: tfjs-node-gpu into global storage, checked before it is used. */
export const installGpu: Command = {
  id: 'installGpu',
  async run({ paths, log }) {
    if (!(await confirmGpuInstall(paths.gpuModulesDir))) return false;
    return installGpuBackend(paths.gpuModulesDir, log);
  },
};
