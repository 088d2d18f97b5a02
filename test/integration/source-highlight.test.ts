/**
 * Attention in the editor: after Translate Selection, the Translations panel's highlightSource
 * message decorates the source words an output token attended to, a hover on a source word lists
 * the output tokens that attended to it, and an edit clears both.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { bucketTokens, crossWeights, sourceTokenSpans } from '../../src/shared/sourceAttention';
import {
  activeApi,
  selectAndTranslate,
  train,
  withSmallTwoEpochSettings,
} from './support/extension';

describe('attention in the editor', function () {
  this.timeout(10 * 60_000);

  withSmallTwoEpochSettings();

  it('highlights the source words of a hovered output token, hovers them, and clears', async () => {
    const api = await activeApi();
    await train(api);
    const text = "  I'm home.\ngo .\n";
    const items = await selectAndTranslate(text);
    assert.equal(items?.length, 2);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.getText() === text);
    assert.ok(editor, 'the selection’s editor is still visible');
    const [first, second] = items!;
    const spans = sourceTokenSpans("  I'm home.");
    const expected = (item: typeof first, target: number, line: number, lineSpans = spans) =>
      bucketTokens(crossWeights(item.attention, target, lineSpans.length)).map((tokens) =>
        tokens.map((k) => ({ line, ...lineSpans[k] })),
      );

    let drawn = 0;
    for (let target = 0; target < first.attention.outputTokens.length; target++) {
      await api.translationRequest({ type: 'highlightSource', translationId: first.id, target });
      const state = api.sourceHighlights();
      assert.equal(state.uri, editor.document.uri.toString());
      assert.deepEqual(state.buckets, expected(first, target, 0), `step ${target}`);
      drawn += state.buckets.flat().length;
    }
    assert.ok(drawn > 0, 'some source word was highlighted for some output token');
    const goSpans = sourceTokenSpans('go .');
    await api.translationRequest({ type: 'highlightSource', translationId: second.id, target: 0 });
    assert.deepEqual(api.sourceHighlights().buckets, expected(second, 0, 1, goSpans));

    await api.translationRequest({
      type: 'highlightSource',
      translationId: first.id,
      target: null,
    });
    assert.deepEqual(api.sourceHighlights(), { uri: null, buckets: [[], [], [], [], []] });
    await api.translationRequest({ type: 'highlightSource', translationId: first.id, target: 99 });
    assert.equal(api.sourceHighlights().buckets.flat().length, 0, 'no such step: nothing');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 7), // in "home"
    );
    const hoverText = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(hoverText, /Attended to by/);

    // An edit makes the offsets stale: the highlight goes and is not drawn again.
    await api.translationRequest({ type: 'highlightSource', translationId: second.id, target: 0 });
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'x'));
    assert.equal(api.sourceHighlights().uri, null);
    await api.translationRequest({ type: 'highlightSource', translationId: second.id, target: 0 });
    assert.equal(api.sourceHighlights().uri, null);
  });
});
