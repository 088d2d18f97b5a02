/**
 * Helper process of scripts/seedStudy.ts: greedy translations (correct decoder positions, as
 * `cli.js eval`) of a JSON list of source sentences by a saved model, printed as one JSON array.
 *
 *   node --require tsx/cjs scripts/seedStudyTranslate.ts MODEL_DIR SOURCES.json
 */
import { readFileSync } from 'node:fs';
import { selectBackend } from '../src/backend/backend';
import { loadCheckpoint } from '../src/checkpoint/checkpoint';
import { greedyTranslate } from '../src/decode/greedy';

async function main(dir: string, list: string): Promise<void> {
  await selectBackend('auto');
  const ck = await loadCheckpoint(dir);
  const sources = JSON.parse(readFileSync(list, 'utf8')) as string[];
  const numSteps = ck.hyperparameters.numSteps;
  const out = sources.map(
    (s) =>
      greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, s, { numSteps, positionMode: 'correct' })
        .translation,
  );
  ck.model.dispose();
  console.log(JSON.stringify(out));
}

main(process.argv[2], process.argv[3]).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
