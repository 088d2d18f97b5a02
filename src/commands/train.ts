import type { Command } from './command';

/** Train Transformer: opens the training panel and starts a run (or says why not). */
export const train: Command = {
  id: 'train',
  async run(explorer) {
    const { training, panels } = explorer;
    if (!training.running) await panels.show('training');
    // The command returns at once; the run goes on (ExtensionApi.whenTrainingDone waits for it).
    training.start().catch((err: unknown) => explorer.reportError('Training failed', err));
  },
};
