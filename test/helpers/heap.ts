/**
 * This isolate's V8 heap in use after a full garbage collection: for tests that check that a
 * large string or array is no longer reachable. (`--expose-gc` is a process-wide V8 flag; a
 * context created after setting it has `gc`.)
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export function heapUsedAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;
