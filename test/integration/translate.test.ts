/**
 * Translate Selection on an editor selection, the attention data for 2 and for 4 layers after a
 * settings.json change, the panels' rendered heatmaps, a corrupt checkpoint, and beam search.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activeApi,
  configure,
  layersOf,
  selectAndTranslate,
  train,
  waitFor,
  withSmallTwoEpochSettings,
} from './support/extension';

describe('translating and looking at attention', function () {
  this.timeout(10 * 60_000);

  // The placement test in translate.test.ts is about where new panels open: none is left open.
  withSmallTwoEpochSettings();

  it('translates each selected line, with a reference and BLEU where one is known', async () => {
    const api = await activeApi();
    await train(api);
    const items = await selectAndTranslate("I'm home.\ngo .\tva !\n");
    assert.ok(items, 'the command returns its translations');
    assert.equal(items.length, 2);
    assert.equal(items[0].source, "I'm home.");
    assert.equal(items[0].reference, 'je suis chez moi .', 'found in the corpus');
    assert.equal(typeof items[0].bleu, 'number');
    assert.equal(items[1].reference, 'va !', 'taken from the TAB-separated line');
    assert.equal(api.translations()[0].id, items[0].id);
    // The translation panel opened, got its state after the ready handshake and rendered it.
    await waitFor(
      'the translation panel to render',
      () => api.renderedCharts('translation') !== undefined,
    );
  });

  it('gives attention shaped (layer, head, query, key) for 2 layers, and renders 24 heatmaps', async () => {
    const api = await activeApi();
    const item = api.attentionData().current!;
    assert.deepEqual(layersOf(item), [2, 2, 2]);
    assert.equal(item.attention.encoderSelf[0].length, 4, 'heads');
    assert.equal(item.attention.encoderSelf[0][0].length, 10, 'queries = numSteps');
    // Where new panels open, from an empty editor area, Attention asked for right after the
    // translation: the race in which neither the new Translations panel's viewColumn nor the tab
    // groups knew its column yet, and Attention went to a third column.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await selectAndTranslate("I'm home.\n");
    await vscode.commands.executeCommand('transformerExplorer.openAttention');
    await waitFor('24 rendered heatmaps', () => api.renderedCharts('attention') === 24);
    // Attention shares the Translations panel's column (a tab beside it), not a third column.
    const groupOf = (label: string) =>
      vscode.window.tabGroups.all.find((group) => group.tabs.some((tab) => tab.label === label));
    const attention = groupOf('Transformer: Attention');
    assert.ok(attention, 'the attention tab is open');
    assert.equal(attention, groupOf('Transformer: Translations'), 'one column for both panels');
  });

  it('translates the shown sentence again with heads off, and walks one head step by step', async () => {
    const api = await activeApi();
    const item = api.attentionData().current!;
    const off = [0, 1].flatMap((layer) =>
      [0, 1, 2, 3].map((head) => ({ kind: 'encoderDecoder' as const, layer, head })),
    );
    const masked = await api.attentionRequest({ type: 'maskHeads', translationId: item.id, off });
    assert.equal(masked?.type, 'maskedTranslation');
    if (masked?.type !== 'maskedTranslation') return;
    assert.equal(masked.error, undefined, masked.error);
    assert.deepEqual(masked.result!.off, off);
    assert.ok(masked.result!.milliseconds > 0);
    assert.equal(typeof masked.result!.bleu, 'number', 'the reference is known');
    const walk = await api.attentionRequest({
      type: 'walkHead',
      translationId: item.id,
      kind: 'encoderDecoder',
      layer: 1,
      head: 2,
      query: 0,
      off: [],
    });
    assert.equal(walk?.type, 'headWalkthrough');
    if (walk?.type !== 'headWalkthrough') return;
    assert.deepEqual(walk.walkthrough!.weights, item.attention.encoderDecoder[1][2][0]);
    const gone = await api.attentionRequest({ type: 'maskHeads', translationId: 1e9, off });
    assert.match(gone?.type === 'maskedTranslation' ? gone.error! : '', /no longer kept/);
    const bad = await api.attentionRequest({
      type: 'maskHeads',
      translationId: item.id,
      off: [{ kind: 'encoderSelf', layer: 7, head: 0 }],
    });
    assert.match(bad?.type === 'maskedTranslation' ? bad.error! : '', /layer 7 is not in 0\.\.1/);
  });

  it('has 4 layers of attention after numLayers is set to 4 and the model retrained', async () => {
    const api = await activeApi();
    await configure({ numLayers: 4 });
    await train(api);
    assert.equal(api.trainingState().status, 'finished');
    const items = await selectAndTranslate('go .');
    assert.deepEqual(layersOf(items![0]), [4, 4, 4]);
    await vscode.commands.executeCommand('transformerExplorer.openAttention');
    await waitFor('48 rendered heatmaps', () => api.renderedCharts('attention') === 48);
    await configure({ numLayers: 2 });
  });

  it('reports a corrupt checkpoint without crashing, and a new training replaces it', async () => {
    const api = await activeApi();
    writeFileSync(path.join(api.checkpointDir, 'checkpoint.json'), '{ not json');
    const items = await selectAndTranslate('go .');
    assert.equal(items, undefined, 'no translation from a damaged checkpoint');
    await train(api);
    const again = await selectAndTranslate('go .');
    assert.equal(again?.length, 1);
  });

  it('decodes by beam search when transformer.decoding is "beam", with ranked candidates', async () => {
    const api = await activeApi();
    await configure({ decoding: 'beam', beamSize: 3, lengthPenalty: 0.75 });
    try {
      const items = await selectAndTranslate("I'm home.");
      assert.equal(items?.length, 1);
      const item = items[0];
      assert.equal(item.decoding, 'beam search (beam 3, α = 0.75)');
      const candidates = item.candidates ?? [];
      assert.ok(candidates.length >= 1 && candidates.length <= 3, `${candidates.length}`);
      assert.equal(item.translation, candidates[0].translation, 'the best candidate is chosen');
      for (let i = 1; i < candidates.length; i++) {
        assert.ok(candidates[i - 1].score >= candidates[i].score, 'ranked by score');
      }
      assert.equal(typeof candidates[0].bleu, 'number', 'scored against the corpus reference');
      assert.equal(item.attention.encoderSelf.length, 2, 'attention of the chosen candidate');
      await waitFor(
        'the translation panel to render',
        () => api.renderedCharts('translation') !== undefined,
      );

      await configure({ beamSize: 11 });
      assert.equal(await selectAndTranslate('go .'), undefined, 'an invalid beam size is refused');
    } finally {
      await configure({ decoding: undefined, beamSize: undefined, lengthPenalty: undefined });
    }
  });
});
