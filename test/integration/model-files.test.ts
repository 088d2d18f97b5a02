/**
 * Open Model… and Export Model for PyTorch as a reader of the book uses them: a model the book's
 * PyTorch code trained (test/fixtures/interop/book-trained.pt) becomes an imported run that
 * Translate Selection, the attention panel and Compare Runs use; a model of another size (3
 * layers, additive, .safetensors + sidecar) draws its own number of heatmaps; a hostile file
 * changes nothing; the current model is exported and opens again as the same model.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/shared/protocol';
import { runTreeItem } from '../../src/views/runsTree';
import {
  EXTENSION_ID,
  activeApi,
  configure,
  layersOf,
  resetSettings,
  selectAndTranslate,
  sharedCorpus,
  waitFor,
} from './support/extension';

/** Held-out pairs scored here (the setting; 200 by default), fewer to keep the suite quick. */
const HELD_OUT = 50;
/**
 * What `node dist/cli.js eval --model test/fixtures/interop/book-trained.pt --data
 * ../shared/data/fra-eng/fra.txt --from 601 --count 50` prints: the same pairs (after the
 * book's 600 training pairs and its extra line) and the same scores as a training run's.
 */
const CLI_EVAL = { count: 50, meanBleu2: 0.00983925100733732, corpusBleu4: 0 };

function fixture(name: string): vscode.Uri {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  return vscode.Uri.file(path.join(root, 'test', 'fixtures', 'interop', name));
}

function openModel(uri: vscode.Uri): Thenable<RunRecord | undefined> {
  return vscode.commands.executeCommand<RunRecord | undefined>(
    'transformerExplorer.openModel',
    uri,
  );
}

describe('model files from and for PyTorch', function () {
  this.timeout(5 * 60_000);
  let bookRun: RunRecord;
  const exportDir = mkdtempSync(path.join(tmpdir(), 'tae-export-'));

  before(async () => {
    await resetSettings();
    const api = await activeApi();
    for (const run of (await api.runs()).runs) await api.deleteRun(run.id);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(exportDir, { recursive: true, force: true });
  });

  it("opens a model the book's code trained as an imported run, and translates with it", async () => {
    const api = await activeApi();
    const run = await openModel(fixture('book-trained.pt'));
    assert.ok(run, 'the command returns the new run');
    bookRun = run;
    assert.equal(run.imported?.format, 'pt');
    assert.match(run.imported?.file ?? '', /book-trained\.pt$/);
    const state = await api.runs();
    assert.equal(state.currentRunId, run.id);
    const items = await selectAndTranslate("I'm home.\tje suis chez moi .\nGo home.");
    assert.deepEqual(
      items?.map((i) => i.translation),
      ['je suis chez moi .', 'rentre chez toi !'], // PyTorch's predict_seq2seq (roundtrip.json)
    );
    assert.equal(items?.[0].bleu, 1);
    assert.deepEqual(layersOf(items![0]), [2, 2, 2]);
  });

  it('opens a 3-layer additive model (.safetensors + sidecar); the attention panel draws 3 × 4 heads', async () => {
    const api = await activeApi();
    const run = await openModel(fixture('other-additive.safetensors'));
    assert.equal(run?.imported?.format, 'safetensors');
    assert.equal(run?.hyperparameters.attentionFunction, 'additive');
    const items = await selectAndTranslate('a b c');
    assert.deepEqual(layersOf(items![0]), [3, 3, 3]);
    assert.equal(items![0].attention.encoderSelf[0].length, 4, 'heads');
    await vscode.commands.executeCommand('transformerExplorer.openAttention');
    await waitFor('36 rendered heatmaps', () => api.renderedCharts('attention') === 36);
  });

  it('compares the two imported runs for one sentence', async () => {
    const api = await activeApi();
    const other = (await api.runs()).runs.find((r) => r.id !== bookRun.id)!;
    await vscode.commands.executeCommand('transformerExplorer.compareRuns');
    const result = await api.compareAttention([bookRun.id, other.id], 'go .');
    assert.equal(result.sides[0].item?.translation, 'va !');
    assert.deepEqual(layersOf(result.sides[1].item!), [3, 3, 3]);
    assert.match(result.sides[0].label, /book-trained\.pt$/);
  });

  it("scores an imported model's held-out BLEU on import: the pairs after the book's 600", async () => {
    const api = await activeApi();
    await configure({ corpusPath: sharedCorpus(), heldOutCount: HELD_OUT });
    const run = await openModel(fixture('book-trained.pt'));
    assert.ok(run?.heldOut, 'the returned run has its held-out score');
    assert.equal(run.heldOut.count, HELD_OUT);
    assert.ok(
      Math.abs(run.heldOut.meanBleu2 - CLI_EVAL.meanBleu2) < 1e-9,
      `${run.heldOut.meanBleu2}`,
    );
    assert.ok(Math.abs(run.heldOut.corpusBleu4 - CLI_EVAL.corpusBleu4) < 1e-9);
    const kept = (await api.runs()).runs.find((r) => r.id === run.id);
    assert.deepEqual(kept?.heldOut, run.heldOut, 'kept in the run record (Compare Runs shows it)');
    const tooltip = runTreeItem(kept!, null).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Held-out BLEU-2 \d\.\d{3}, corpus BLEU-4 \d\.\d{3} on 50 pairs/);
    await api.deleteRun(run.id);
  });

  it('imports a model without its held-out BLEU when the corpus is missing; Score Held-out BLEU adds it', async () => {
    const api = await activeApi();
    await configure({
      corpusPath: path.join(exportDir, 'no-such-fra.txt'),
      heldOutCount: HELD_OUT,
    });
    const run = await openModel(fixture('book-trained.pt'));
    assert.ok(run, 'the import succeeds');
    assert.equal(run.heldOut, null, 'no score: the corpus is missing');
    assert.equal((await api.runs()).currentRunId, run.id, 'and it is the current model');
    const tooltip = runTreeItem(run, run.id).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Held-out BLEU not scored/);
    await configure({ corpusPath: sharedCorpus() });
    // As the Runs view's context menu calls it: with the run's record.
    const scored = await vscode.commands.executeCommand<RunRecord | undefined>(
      'transformerExplorer.scoreHeldOut',
      run,
    );
    assert.equal(scored?.heldOut?.count, HELD_OUT);
    assert.ok(Math.abs(scored!.heldOut!.meanBleu2 - CLI_EVAL.meanBleu2) < 1e-9);
    const kept = (await api.runs()).runs.find((r) => r.id === run.id);
    assert.deepEqual(kept?.heldOut, scored?.heldOut);
    await api.deleteRun(run.id);
    await resetSettings();
  });

  it('refuses a hostile file with a message, and changes nothing', async () => {
    const api = await activeApi();
    const before = await api.runs();
    const run = await openModel(fixture('os-system.pt'));
    assert.equal(run, undefined);
    const after = await api.runs();
    assert.deepEqual(
      after.runs.map((r) => r.id),
      before.runs.map((r) => r.id),
    );
    assert.equal(after.currentRunId, before.currentRunId);
  });

  it('exports the current model for PyTorch, and the export opens as the same model', async () => {
    const api = await activeApi();
    await api.makeRunCurrent(bookRun.id);
    const written = await vscode.commands.executeCommand<string[] | undefined>(
      'transformerExplorer.exportModel',
      vscode.Uri.file(exportDir),
    );
    assert.deepEqual(
      written?.map((f) => path.basename(f)),
      ['model.pt', 'model.safetensors', 'model.json'],
    );
    assert.deepEqual(readdirSync(exportDir).sort(), [
      'model.json',
      'model.pt',
      'model.safetensors',
    ]);
    for (const file of ['model.pt', 'model.safetensors']) {
      const run = await openModel(vscode.Uri.file(path.join(exportDir, file)));
      assert.ok(run, `${file} opens`);
      const items = await selectAndTranslate("I'm home.");
      assert.equal(items?.[0].translation, 'je suis chez moi .');
    }
  });
});
