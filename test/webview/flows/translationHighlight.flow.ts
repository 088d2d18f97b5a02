/**
 * The translations panel's French words and the editor highlight (webview/translation/
 * targetWords.ts): hovering or focusing a word posts highlightSource; a translation's words are
 * one tab stop with a roving focus.
 */
import type { WebviewToHost } from '../../../src/shared/protocol';
import type { FlowContext } from '../flow';
import { isType, PanelPage } from '../panelPage';

type Highlight = Extract<WebviewToHost, { type: 'highlightSource' }>;

const nextHighlight = (p: PanelPage, what: string): Promise<Highlight> =>
  p.waitFor(isType('highlightSource'), `highlightSource (${what})`);

/** The step of the focused French word, or null when the focus is elsewhere. */
const focusedStep = (p: PanelPage): Promise<string | null> =>
  p.page.evaluate('document.activeElement?.dataset?.step ?? null') as Promise<string | null>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Hovering or focusing a French token asks the editor to highlight its source; leaving clears. */
export async function highlightSource({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const tokens = page.locator('li.translation[data-id="1"] .out-token');
  await tokens.nth(1).hover();
  const hover = await nextHighlight(p, 'hover');
  check(
    'translation: hovering a French token posts its step',
    hover.translationId === 1 && hover.target === 1,
    hover,
  );
  await page.locator('#sentence').hover();
  const left = await nextHighlight(p, 'leave');
  check('translation: leaving the token clears the highlight', left.target === null, left);
  await tokens.nth(0).focus();
  const focus = await nextHighlight(p, 'focus');
  check('translation: focusing a French token posts its step', focus.target === 0, focus);
  await page.locator('#sentence').focus();
  const blur = await nextHighlight(p, 'blur');
  check('translation: moving the focus away clears it', blur.target === null, blur);
}

/** A translation's words are one tab stop: arrows, Home and End move; the highlight follows. */
export async function wordKeys({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const box = page.locator('li.translation[data-id="1"] [role="listbox"]');
  const stops = await page.locator('li.translation .out-token[tabindex="0"]').count();
  const items = await page.locator('li.translation').count();
  check('translation: one tab stop per translation’s words', stops === items, { stops, items });
  await page.locator('#translate').focus();
  await page.keyboard.press('Tab');
  const entered = await nextHighlight(p, 'Tab into the words');
  check(
    'translation: Tab enters the words on the first one',
    entered.translationId === 1 && entered.target === 0 && (await focusedStep(p)) === '0',
    entered,
  );
  const moves: [string, number][] = [
    ['ArrowRight', 1],
    ['End', 4],
    ['Home', 0],
    ['ArrowRight', 1],
    ['ArrowRight', 2],
  ];
  const seen: (number | null)[] = [];
  for (const [key] of moves) {
    await page.keyboard.press(key);
    seen.push((await nextHighlight(p, key)).target);
  }
  check(
    'translation: Right, End, Home move among the words and the highlight follows',
    same(
      seen,
      moves.map(([, step]) => step),
    ) && (await focusedStep(p)) === '2',
    seen,
  );
  const selected = await box.locator('[aria-selected="true"]').getAttribute('data-step');
  await page.keyboard.press('Tab');
  const left = await nextHighlight(p, 'Tab out');
  const outTo = String(await page.evaluate("document.activeElement?.className ?? ''"));
  check(
    'translation: Tab leaves the words (to Show attention) and clears the highlight',
    left.target === null && /show-attention/.test(outTo) && selected === '2',
    { left, outTo, selected },
  );
  await page.keyboard.press('Shift+Tab');
  const back = await nextHighlight(p, 'Shift+Tab back');
  check('translation: Shift+Tab comes back to the word last on', back.target === 2, back);
  const said = {
    role: await box.getAttribute('role'),
    label: await box.getAttribute('aria-label'),
    help: await page
      .locator(`#${(await box.getAttribute('aria-describedby')) ?? 'none'}`)
      .textContent(),
    helps: await page.locator('#target-word-keys').count(),
  };
  check(
    'translation: the sentence and the keys are said once, on entering (one help text)',
    said.role === 'listbox' &&
      said.label === 'French (model): je suis chez moi .' &&
      /Left and Right/.test(said.help ?? '') &&
      said.helps === 1,
    said,
  );
  await page.locator('#sentence').focus();
  await nextHighlight(p, 'blur');
}
