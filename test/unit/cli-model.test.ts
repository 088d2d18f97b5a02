/** `--model` takes a checkpoint folder or a PyTorch model file (src/cli/model.ts). */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { commitCheckpoint } from '../../src/checkpoint/commit';
import { loadModel } from '../../src/cli/model';
import { greedyTranslate } from '../../src/decode/greedy';
import { importPt } from '../../src/interop';
import { checkpointOfImported } from '../../src/interop/checkpointModel';
import { readFixture } from '../helpers/fixtures';
import { INTEROP_FIXTURES, fixtureBytes } from '../helpers/interopFixtures';
import { TempDirs } from '../helpers/tempDir';
import { useCpuBackend } from '../helpers/tinyModel';

const book = readFixture<{ book: { sources: string[]; translations: { correct: string[] } } }>(
  'interop/roundtrip.json',
).book;

describe('--model: a checkpoint folder or a model file', () => {
  const temp = new TempDirs();
  before(useCpuBackend);
  after(() => temp.cleanup());

  it("translates with a .pt the book's code trained, as PyTorch did", async () => {
    const m = await loadModel(path.join(INTEROP_FIXTURES, 'book-trained.pt'));
    try {
      const ours = book.sources.map(
        (s) =>
          greedyTranslate(m.model, m.srcVocab, m.tgtVocab, s, {
            numSteps: m.hyperparameters.numSteps,
          }).translation,
      );
      assert.deepEqual(ours, book.translations.correct);
    } finally {
      m.model.dispose();
    }
  });

  it('still takes a checkpoint folder, and gives the same model', async () => {
    const dir = path.join(temp.make(), 'model');
    const { contents, bytes } = checkpointOfImported(importPt(fixtureBytes('book-trained.pt')));
    await commitCheckpoint(dir, contents, bytes);
    const m = await loadModel(dir);
    try {
      const t = greedyTranslate(m.model, m.srcVocab, m.tgtVocab, book.sources[3], {
        numSteps: 10,
      });
      assert.equal(t.translation, book.translations.correct[3]);
    } finally {
      m.model.dispose();
    }
  });

  it('names the file and what is wrong with a file that is not such a model', async () => {
    await assert.rejects(
      loadModel(path.join(INTEROP_FIXTURES, 'bare-state-dict.pt')),
      /bare-state-dict\.pt: /,
    );
    await assert.rejects(loadModel(path.join(temp.make(), 'missing')), /Checkpoint .*missing/);
  });
});
