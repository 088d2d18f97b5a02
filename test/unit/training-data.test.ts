/**
 * loadTrainingData (src/train/trainingData.ts): the book's load_data_nmt without its token lists.
 * It must give exactly what loadDataNmt gives (the vocabularies' tables and both index arrays),
 * since the default run's loss depends on every id; and it must not leave the tokenised corpus
 * behind in the heap.
 */
import { strict as assert } from 'node:assert';
import * as v8 from 'node:v8';
import { loadDataNmt } from '../../src/data/nmtDataset';
import { loadTrainingData } from '../../src/train/trainingData';
import { MB, heapUsedAfterGc } from '../helpers/heap';
import { readSharedCorpus } from '../helpers/sharedCorpus';

function assertSame(text: string, numExamples: number | undefined, numSteps: number): void {
  const book = loadDataNmt(text, { numExamples, numSteps });
  const ours = loadTrainingData(text, { numExamples, numSteps });
  assert.deepEqual(ours.srcVocab.idxToToken, book.srcVocab.idxToToken, 'source vocabulary');
  assert.deepEqual(ours.tgtVocab.idxToToken, book.tgtVocab.idxToToken, 'target vocabulary');
  assert.deepEqual(ours.src, book.src, 'source array');
  assert.deepEqual(ours.tgt, book.tgt, 'target array');
}

describe('loadTrainingData', function () {
  this.timeout(120_000);
  const corpus = readSharedCorpus();

  it("equals loadDataNmt on the book's 600 pairs and on 20,000", () => {
    assertSame(corpus, 600, 10);
    assertSame(corpus, 20_000, 10);
  });

  it('equals loadDataNmt on the quirks: punctuation, spaces, bad lines, reserved tokens', () => {
    const text = [
      'Go.\tVa !', // line 0: index 0 is never touched
      '.Hi\t!Salut', // punctuation first: the previous character is the newline
      'no tab here',
      'a\tb\tc',
      'Wait!\u00a0Yes?\tAttends\u202f!',
      'two  spaces\t<pad> <unk> <eos>',
      'one two three four five six\tun deux trois quatre cinq six sept',
      'Go.\tVa !',
      '',
    ].join('\n');
    for (const numExamples of [undefined, 0, 3, 20]) {
      for (const numSteps of [1, 4, 10]) assertSame(text, numExamples, numSteps);
    }
  });

  it('reads the whole corpus in a bounded heap (the token lists never exist)', () => {
    // V8 frees garbage at its next full collection: what the heap grows by while reading is what
    // the trainer has on top of it until then (loadDataNmt: +165 MB on the whole corpus).
    heapUsedAfterGc();
    const start = v8.getHeapStatistics().total_heap_size;
    const data = loadTrainingData(corpus, { numExamples: 0, numSteps: 10 });
    const grown = (v8.getHeapStatistics().total_heap_size - start) / MB;
    assert.equal(data.src.rows, 167_130);
    assert.ok(grown < 50, `the heap grew by ${grown.toFixed(1)} MB`);
  });
});
