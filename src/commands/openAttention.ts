import { showAttention } from '../host/translateAndShow';
import type { Command } from './command';

/** Open Attention Panel: the last translation's attention, layer by layer and head by head. */
export const openAttention: Command = {
  id: 'openAttention',
  run: showAttention,
};
