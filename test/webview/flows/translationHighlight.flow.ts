/**
 * The translations panel's French words and the editor highlight (webview/translation/
 * targetWords.ts, headChooser.ts): hovering or focusing a word posts highlightSource with the
 * chosen layer and head; a translation's words are one tab stop with a roving focus; the chooser
 * is kept through a reload and sized to the newest translation's model.
 */
import type { TranslationItem, WebviewToHost } from '../../../src/shared/protocol';
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
    'translation: hovering a French token posts its step, by the last layer’s mean (2 layers)',
    hover.translationId === 1 && hover.target === 1 && hover.layer === 1 && hover.head === null,
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
  await page.locator('#highlight-head').focus();
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

/** The chooser: layer and head (or mean) from the keyboard, in every highlight, kept on reload. */
export async function chooseHead({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const options = {
    layers: await page.locator('#highlight-layer option').allTextContents(),
    heads: await page.locator('#highlight-head option').allTextContents(),
  };
  check(
    'translation: the chooser offers the model’s 2 layers and its 4 heads or their mean',
    same(options, {
      layers: ['1', '2'],
      heads: ['all heads (mean)', 'head 1', 'head 2', 'head 3', 'head 4'],
    }) && (await page.locator('#highlight-layer').inputValue()) === '1',
    options,
  );
  await page.locator('#highlight-layer').focus();
  await page.keyboard.press('ArrowUp');
  const layer = await nextHighlight(p, 'layer 1 by the keyboard');
  await page.locator('#highlight-head').selectOption({ value: '1' });
  const head = await nextHighlight(p, 'head 2');
  check(
    'translation: choosing layer 1 (keyboard) and head 2 tells the host, with no word',
    same([layer.target, layer.layer, layer.head], [null, 0, null]) &&
      same([head.target, head.layer, head.head], [null, 0, 1]),
    { layer, head },
  );
  const word = page.locator('li.translation[data-id="3"] .out-token').nth(1);
  await word.hover();
  const hovered = await nextHighlight(p, 'hover with head 2');
  check(
    'translation: a hovered word is highlighted by layer 1, head 2 (and its tooltip says so)',
    same([hovered.translationId, hovered.target, hovered.layer, hovered.head], [3, 1, 0, 1]) &&
      /layer 1, head 2/.test((await word.locator('..').getAttribute('title')) ?? ''),
    hovered,
  );
  await page.locator('#sentence').hover();
  await nextHighlight(p, 'leave');
  await p.reload();
  const told = await nextHighlight(p, 'after the reload');
  check(
    'translation: the choice is kept through a reload, and the host is told it again',
    same([told.target, told.layer, told.head], [null, 0, 1]) &&
      (await page.locator('#highlight-layer').inputValue()) === '0' &&
      (await page.locator('#highlight-head').inputValue()) === '1',
    told,
  );
}

/** Another model's size: the chooser follows the newest translation's model. */
export async function adaptsToModel({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  // The random model's own French may be empty: the words are a trained model's.
  const four: TranslationItem = {
    ...fx.attention4.current!,
    id: 20,
    translation: 'il est calme .',
  };
  await p.send({ type: 'translations', items: [four, ...fx.translations.items] });
  await p.rendered('a 4-layer model');
  const layers = await page.locator('#highlight-layer option').allTextContents();
  // By value: Playwright matches a bare string against the labels too (label "3" is value 2).
  await page.locator('#highlight-layer').selectOption({ value: '3' });
  const chosen = await nextHighlight(p, 'layer 4');
  const titles = {
    newest: await page.locator('li[data-id="20"] [role="listbox"]').getAttribute('title'),
    older: await page.locator('li[data-id="1"] [role="listbox"]').getAttribute('title'),
  };
  check(
    'translation: 4 layers offered; layer 4 chosen; the 2-layer items say they are not highlighted',
    same(layers, ['1', '2', '3', '4']) &&
      same([chosen.layer, chosen.head], [3, 1]) &&
      /layer 4, head 2/.test(titles.newest ?? '') &&
      /^Not highlighted: its model has 2 layers of 4 heads/.test(titles.older ?? ''),
    { layers, chosen, titles },
  );
  await p.send(fx.translations);
  const fitted = await nextHighlight(p, 'back to 2 layers');
  await p.rendered('2 layers again');
  check(
    'translation: back to a 2-layer model, layer 4 becomes its last layer (head 2 kept)',
    same([fitted.target, fitted.layer, fitted.head], [null, 1, 1]) &&
      (await page.locator('#highlight-layer option').count()) === 2 &&
      (await page.locator('#highlight-layer').inputValue()) === '1',
    fitted,
  );
}
