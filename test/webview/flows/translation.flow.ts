/**
 * The translations panel (webview/translation/): the empty list and its Train button, the items
 * with unknown words, BLEU and beam candidates (folded from the keyboard), Show attention, a
 * sentence typed and sent with the keyboard only, and the themes with their contrast.
 */
import { setTheme } from '../browser';
import { highContrastChecks } from '../a11y';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage, sleep } from '../panelPage';
import { THEMES } from '../themes';

export const translationFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'translation', [
    emptyList,
    items,
    beamCandidates,
    actions,
    highlightSource,
    themes,
    highContrastChecks(false),
  ]);

/** No translation yet: what to do, and a button that trains a model. */
async function emptyList({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send({ type: 'translations', items: [] });
  await p.rendered('empty');
  const text = await page.locator('#translations-empty').innerText();
  check(
    'translation: the empty list says how to translate (the box, Translate Selection)',
    /Translate Selection/.test(text) && /sentence above/.test(text),
    text,
  );
  await shoot(p, 'translation-empty-light');
  await page.locator('#empty-train').click();
  const run = await p.waitFor(isType('runCommand'), 'runCommand');
  check('translation: its button runs Train Transformer', run.command === 'train', run);
}

/** The host's items: listed, unknown words marked, BLEU. */
async function items({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send(fx.translations);
  await p.rendered();
  check('translation: items listed', (await page.locator('li.translation').count()) === 4);
  check(
    'translation: unknown words and <unk> highlighted',
    (await page.locator('li.translation[data-id="2"] mark.unk').count()) === 3 &&
      (await page.locator('li.translation[data-id="2"] .unk-note').count()) === 1,
  );
  check(
    'translation: BLEU shown',
    ((await page.locator('li.translation[data-id="1"] .bleu').textContent()) ?? '').includes(
      '1.000',
    ),
  );
}

async function beamCandidates({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const beamRows = page.locator('li.translation[data-id="4"] table.candidates tbody tr');
  const rowTexts = await beamRows.allTextContents();
  check(
    'translation: a beam item shows its ranked candidates (score, log P, BLEU); greedy ones none',
    rowTexts.length === 3 &&
      rowTexts[0].includes('il est calme .') &&
      rowTexts[0].includes('1.000') &&
      rowTexts[1].includes('0.658') &&
      (await page.locator('li.translation[data-id="4"] tr.chosen').count()) === 1 &&
      (await page.locator('li.translation[data-id="4"] tr mark.unk').count()) === 1 &&
      (await page.locator('li.translation:not([data-id="4"]) .candidates-box').count()) === 0,
    rowTexts,
  );
  // Keyboard: the candidates' summary folds and unfolds them.
  await page.locator('li.translation[data-id="4"] summary').focus();
  await page.keyboard.press('Enter');
  const folded = !(await beamRows.first().isVisible());
  await page.keyboard.press('Enter');
  check(
    'translation: candidates fold and unfold from the keyboard',
    folded && (await beamRows.first().isVisible()),
  );
}

async function actions({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('li.translation[data-id="2"] button.show-attention').click();
  const show = await p.waitFor(isType('showAttention'), 'showAttention');
  check('translation: Show attention posts its id', show.translationId === 2, show);
  // Keyboard only: focus the box, type, Enter.
  await page.locator('#sentence').focus();
  await page.keyboard.type('She is calm.');
  await page.keyboard.press('Enter');
  const tr = await p.waitFor(isType('translateSentence'), 'translateSentence');
  check('translation: typed sentence posted', tr.sentence === 'She is calm.', tr);
}

/** Hovering or focusing a French token asks the editor to highlight its source; leaving clears. */
async function highlightSource({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const tokens = page.locator('li.translation[data-id="1"] .out-token');
  await tokens.nth(1).hover();
  const hover = await p.waitFor(isType('highlightSource'), 'highlightSource (hover)');
  check(
    'translation: hovering a French token posts its step',
    hover.translationId === 1 && hover.target === 1,
    hover,
  );
  await page.locator('#sentence').hover();
  const left = await p.waitFor(isType('highlightSource'), 'highlightSource (leave)');
  check('translation: leaving the token clears the highlight', left.target === null, left);
  await tokens.nth(0).focus();
  const focus = await p.waitFor(isType('highlightSource'), 'highlightSource (focus)');
  check('translation: focusing a French token posts its step', focus.target === 0, focus);
  await page.locator('#sentence').focus();
  const blur = await p.waitFor(isType('highlightSource'), 'highlightSource (blur)');
  check('translation: moving the focus away clears it', blur.target === null, blur);
}

async function themes({ shoot }: FlowContext, p: PanelPage): Promise<void> {
  await shoot(p, 'translation-light');
  await setTheme(p.page, THEMES.dark);
  await sleep(150);
  await shoot(p, 'translation-dark');
  await setTheme(p.page, THEMES['high-contrast']);
  await sleep(150);
  await shoot(p, 'translation-hc');
}
