/**
 * `cli.js heads`: every head of a saved model scored over held-out pairs (importance: BLEU drop,
 * loss increase, gradient score) with its attention statistics and label, and the pruning
 * curve, as one JSON line on stdout (src/explore/headReport.ts); progress on stderr.
 */
import { readCorpusFile } from '../data/corpus';
import { headReport } from '../explore/headReport';
import { DEFAULT_HELD_OUT_COUNT } from '../explore/heldOut';
import { CliValues, UsageError, choiceFlag, flag, progressSeconds, required } from './args';
import { withCheckpoint } from './inspect';
import { say } from './output';

export async function headsCommand(values: CliValues): Promise<void> {
  const dir = required(flag(values, 'model'), '--model');
  const data = required(flag(values, 'data'), '--data');
  const count = pairCount(flag(values, 'count'));
  const positionMode = choiceFlag(values, 'positionMode');
  const every = progressSeconds(values) * 1000;
  await withCheckpoint(values, dir, async (ck) => {
    const text = readCorpusFile(data);
    let last = performance.now();
    const report = await headReport(ck, text, {
      count,
      positionMode,
      onProgress: ({ phase, done, total }) => {
        const now = performance.now();
        if (every === 0 || now - last < every || done === total) return;
        last = now;
        process.stderr.write(`scoring heads: ${done}/${total} (${phase})\n`);
      },
    });
    say(JSON.stringify(report));
  });
}

/** `--count`: held-out pairs, at least 1 (default DEFAULT_HELD_OUT_COUNT). */
function pairCount(v: string | undefined): number {
  if (v === undefined) return DEFAULT_HELD_OUT_COUNT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--count must be a whole number >= 1 (got ${v})`);
  return n;
}
