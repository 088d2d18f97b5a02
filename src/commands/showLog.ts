import type { Command } from './command';

/** Show Log: the extension's output channel. */
export const showLog: Command = {
  id: 'showLog',
  run: ({ log }) => log.show(),
};
