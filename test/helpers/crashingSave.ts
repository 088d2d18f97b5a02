/**
 * A child process for checkpoint-crash.test.ts: saves (or copies) a checkpoint and kills itself
 * with SIGKILL at the save's step number `crashAt` (no cleanup, no exit handlers: what a kill -9
 * or a power cut leaves). With crashAt -1 it finishes and prints the steps it passed as JSON.
 *
 *   node crashingSave.js save DIR CONTENTS.json CRASH_AT     (CONTENTS: { contents, bytes (base64) })
 *   node crashingSave.js copy DIR SOURCE_DIR CRASH_AT
 */
import { readFileSync } from 'node:fs';
import { SaveStep, commitCheckpoint, copyCheckpoint } from '../../src/checkpoint/commit';

const [mode, dir, source, crashAtArg] = process.argv.slice(2);
const crashAt = Number(crashAtArg);
const steps: SaveStep[] = [];
const onStep = (step: SaveStep) => {
  if (steps.length === crashAt) process.kill(process.pid, 'SIGKILL'); // delivered before kill returns
  steps.push(step);
};

async function main(): Promise<void> {
  if (mode === 'copy') {
    await copyCheckpoint(source, dir, { onStep });
  } else {
    const { contents, bytes } = JSON.parse(readFileSync(source, 'utf8'));
    await commitCheckpoint(dir, contents, Buffer.from(bytes, 'base64'), { onStep });
  }
  process.stdout.write(JSON.stringify(steps));
}

main().catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exitCode = 1;
});
