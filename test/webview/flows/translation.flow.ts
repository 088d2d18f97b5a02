/**
 * The translations panel (webview/translation/): the empty list and its Train button, the items
 * with unknown words, BLEU and beam candidates (folded from the keyboard), Show attention, a
 * sentence typed and sent with the keyboard only, the French words that highlight their source
 * in the editor (one tab stop each translation, by the chosen layer and head:
 * translationHighlight.flow.ts), and the themes with their contrast.
 */
import { VIEWPORT, setTheme } from '../browser';
import { highContrastChecks } from '../a11y';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage, sleep } from '../panelPage';
import { THEMES } from '../themes';
import { adaptsToModel, chooseHead, highlightSource, wordKeys } from './translationHighlight.flow';

export const translationFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'translation', [
    emptyList,
    items,
    beamCandidates,
    actions,
    highlightSource,
    wordKeys,
    chooseHead,
    adaptsToModel,
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

async function themes({ shoot, check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  // A French word in focus: its outline in each theme.
  await page.locator('li.translation[data-id="1"] .out-token').nth(2).focus();
  await shoot(p, 'translation-light');
  await setTheme(page, THEMES.dark);
  await sleep(150);
  await shoot(p, 'translation-dark');
  await setTheme(page, THEMES['high-contrast']);
  await sleep(150);
  await shoot(p, 'translation-hc');
  await setTheme(page, THEMES.light);
  await page.setViewportSize({ width: 420, height: 900 });
  await sleep(150);
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  check('translation: narrow: the page does not scroll sideways', width <= 420, width);
  await shoot(p, 'translation-narrow');
  await page.setViewportSize(VIEWPORT);
}
