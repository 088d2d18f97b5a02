/**
 * Attention in the editor: after Translate Selection, the Translations panel's highlightSource
 * message decorates the source words an output token attended to (by the layer and head, or
 * mean, chosen in the panel), a hover on a source word lists the output tokens that attended to
 * it, an edit clears both, and nothing is kept for a closed editor, a translation no longer
 * listed, or a closed Translations panel.
 */
import * as assert from 'node:assert/strict';
import { unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { TRANSLATION_VIEW_TYPE } from '../../src/panels/viewTypes';
import type { TranslationItem } from '../../src/shared/protocol';
import {
  HeadChoice,
  TokenSpan,
  bucketTokens,
  crossWeights,
  hoverText,
  sourceTokenSpans,
} from '../../src/shared/sourceAttention';
import {
  activeApi,
  selectAndTranslate,
  train,
  waitFor,
  withSmallTwoEpochSettings,
} from './support/extension';

/** What the panel shows before anything is chosen: the last layer, mean over its heads. */
const lastMean = (item: TranslationItem): HeadChoice => ({
  layer: item.attention.encoderDecoder.length - 1,
  head: null,
});

/** The ranges per bucket the editor should show for output step `target` of `item`. */
function expected(
  item: TranslationItem,
  target: number,
  line: number,
  spans: TokenSpan[],
  choice = lastMean(item),
) {
  return bucketTokens(crossWeights(item.attention, target, spans.length, choice)).map((tokens) =>
    tokens.map((k) => ({ line, ...spans[k] })),
  );
}

/** As if a French word of `item` (or none: null) were hovered in the panel, with `choice`. */
function highlight(
  api: ExtensionApi,
  item: TranslationItem,
  target: number | null,
  choice = lastMean(item),
) {
  return api.translationRequest({
    type: 'highlightSource',
    translationId: item.id,
    target,
    ...choice,
  });
}

/**
 * The Translations panel tells the host its choice once per page load (a highlightSource with no
 * word): wait for it, so that it does not land in the middle of a test's own requests.
 */
function panelToldItsChoice(api: ExtensionApi): Promise<HeadChoice> {
  return waitFor('the Translations panel’s choice', () => api.sourceHighlights().choice ?? false);
}

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

function tabsWhere(test: (input: { uri?: vscode.Uri; viewType?: string }) => boolean) {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => test((t.input ?? {}) as { uri?: vscode.Uri; viewType?: string }));
}

describe('attention in the editor', function () {
  this.timeout(10 * 60_000);

  withSmallTwoEpochSettings();
  before(async () => train(await activeApi()));

  it('highlights the source words of a hovered output token, hovers them, and clears', async () => {
    const api = await activeApi();
    const text = "  I'm home.\ngo .\n";
    const items = await selectAndTranslate(text);
    assert.equal(items?.length, 2);
    assert.deepEqual(await panelToldItsChoice(api), lastMean(items![0]), 'the last layer’s mean');
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.getText() === text);
    assert.ok(editor, 'the selection’s editor is still visible');
    const [first, second] = items!;
    const spans = sourceTokenSpans("  I'm home.");

    let drawn = 0;
    for (let target = 0; target < first.attention.outputTokens.length; target++) {
      await highlight(api, first, target);
      const state = api.sourceHighlights();
      assert.equal(state.uri, editor.document.uri.toString());
      assert.deepEqual(state.buckets, expected(first, target, 0, spans), `step ${target}`);
      drawn += state.buckets.flat().length;
    }
    assert.ok(drawn > 0, 'some source word was highlighted for some output token');
    const goSpans = sourceTokenSpans('go .');
    await highlight(api, second, 0);
    assert.deepEqual(api.sourceHighlights().buckets, expected(second, 0, 1, goSpans));

    await highlight(api, first, null);
    assert.equal(api.sourceHighlights().uri, null);
    assert.deepEqual(api.sourceHighlights().buckets, [[], [], [], [], []]);
    await highlight(api, first, 99);
    assert.equal(api.sourceHighlights().buckets.flat().length, 0, 'no such step: nothing');
    await highlight(api, first, 0, { layer: 7, head: null });
    assert.equal(api.sourceHighlights().buckets.flat().length, 0, 'no such layer: nothing');

    await highlight(api, first, null);
    const hover = await hoverAt(editor.document.uri, new vscode.Position(0, 7)); // in "home"
    assert.match(hover, /Attended to by/);

    // An edit makes the offsets stale: the highlight goes and is not drawn again.
    await highlight(api, second, 0);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'x'));
    assert.equal(api.sourceHighlights().uri, null);
    await highlight(api, second, 0);
    assert.equal(api.sourceHighlights().uri, null);
  });

  it('follows the layer and head chosen in the panel (layer 1, head 2), not the mean', async () => {
    const api = await activeApi();
    // Short sentences: a model trained 2 epochs spreads a long one's attention so evenly that
    // one head's strengths fall in the same fifths as the mean's (measured: "I lost my keys and
    // my phone." differed at no step; each of these at 1 or 2 of their 2).
    const lines = ['I lost.', 'Help!', 'Be nice.', 'Come in.'];
    const text = `${lines.join('\n')}\n`;
    const items = (await selectAndTranslate(text))!;
    assert.equal(items.length, lines.length);
    await panelToldItsChoice(api);
    const head2: HeadChoice = { layer: 0, head: 1 };

    let differ = 0;
    for (const [line, item] of items.entries()) {
      const spans = sourceTokenSpans(lines[line]);
      for (let target = 0; target < item.attention.outputTokens.length; target++) {
        await highlight(api, item, target, head2);
        const want = expected(item, target, line, spans, head2);
        assert.deepEqual(api.sourceHighlights().buckets, want, `line ${line}, step ${target}`);
        if (!isDeepStrictEqual(want, expected(item, target, line, spans))) differ++;
      }
    }
    assert.ok(differ > 0, 'the head’s strengths differ from the mean’s (else this shows nothing)');
    assert.deepEqual(api.sourceHighlights().choice, head2);

    // The editor's hover follows the choice too: head 2 of layer 1's weights, said so.
    const doc = vscode.window.visibleTextEditors.find((e) => e.document.getText() === text)!;
    const spans = sourceTokenSpans(lines[0]);
    const word = 1; // "lost"
    const hover = await hoverAt(doc.document.uri, new vscode.Position(0, spans[word].start));
    const wanted = hoverText(items[0].attention, word, spans.length, head2) ?? 'no hover text';
    assert.ok(wanted.includes('layer 1, head 2'), wanted);
    assert.ok(hover.includes(wanted), `${hover} | ${wanted}`);
    const mean = hoverText(items[0].attention, word, spans.length)!;
    assert.ok(!hover.includes(mean), `not the mean’s: ${mean}`);
  });

  it('keeps nothing for a closed editor, a translation no longer listed, or a closed panel', async () => {
    const api = await activeApi();
    const placesOn = (uri: vscode.Uri) =>
      api.sourceHighlights().places.filter((p) => p.uri === uri.toString());

    // A file's editor closes: its places go with its last tab.
    const file = path.join(tmpdir(), `tae-source-highlight-${process.pid}.txt`);
    writeFileSync(file, "I'm home.\n");
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(0, 0, 1, 0);
      const [item] = (await vscode.commands.executeCommand<TranslationItem[]>(
        'transformerExplorer.translateSelection',
      ))!;
      await panelToldItsChoice(api);
      assert.equal(placesOn(doc.uri).length, 1);
      await highlight(api, item, 0);
      await vscode.window.tabGroups.close(
        tabsWhere((i) => i.uri?.toString() === doc.uri.toString()),
      );
      await waitFor('the closed editor’s places to go', () => placesOn(doc.uri).length === 0, 5000);
      assert.equal(api.sourceHighlights().uri, null, 'its highlight went too');
    } finally {
      unlinkSync(file);
    }

    // The panel keeps the newest 50 translations: the places of older ones go.
    const [old] = (await selectAndTranslate("I'm home.\n"))!;
    const lines = Array.from({ length: 50 }, (_, i) => (i % 2 ? 'go .' : 'I lost.'));
    const fifty = (await selectAndTranslate(`${lines.join('\n')}\n`))!;
    assert.equal(fifty.length, 50);
    const ids = api.sourceHighlights().places.map((p) => p.id);
    assert.ok(!ids.includes(old.id), 'no place for a translation the panel no longer lists');
    assert.deepEqual(
      ids.sort((a, b) => a - b),
      fifty.map((it) => it.id).sort((a, b) => a - b),
    );

    // The Translations panel closes: nothing stays highlighted, hovered or chosen.
    const fiftyDoc = vscode.window.visibleTextEditors.find((e) =>
      e.document.getText().startsWith('I lost.\ngo .'),
    )!.document;
    await highlight(api, fifty[0], 0);
    await vscode.window.tabGroups.close(
      tabsWhere((i) => !!i.viewType?.endsWith(TRANSLATION_VIEW_TYPE)),
    );
    await waitFor(
      'the panel’s places to go',
      () => api.sourceHighlights().places.length === 0,
      5000,
    );
    assert.deepEqual(api.sourceHighlights(), {
      uri: null,
      buckets: [[], [], [], [], []],
      places: [],
      choice: null,
    });
    assert.doesNotMatch(await hoverAt(fiftyDoc.uri, new vscode.Position(0, 2)), /Attended to by/);
  });
});
