/**
 * The attention panel's explore parts (issue 13): the head view (hover, pin, keyboard, a head's
 * checkbox, double-click for one head alone), switching a head off on its heatmap and the
 * masked translation beside the original (its timing: flows/maskTiming.flow.ts), one head step by
 * step, and all of it in the dark and high-contrast themes and a narrow panel.
 */
import type { Page } from 'playwright-core';
import { attentionSections } from '../../../webview/specs/attentionSections';
import { headViewModel } from '../../../webview/specs/headView';
import { VIEWPORT, setTheme } from '../browser';
import { FlowContext, runSteps } from '../flow';
import { MASKED_OFF, WALKED } from '../messages/explore';
import { isType, PanelPage } from '../panelPage';
import { THEMES } from '../themes';

const lines = (page: Page) => page.locator('#head-view line');
const queryToken = (page: Page, i: number) => page.locator(`.hv-query[data-index="${i}"]`);
const figureTools = (page: Page, kind: string, layer: number, head: number) =>
  page.locator(`.figure-tools[data-kind="${kind}"][data-layer="${layer}"][data-head="${head}"]`);

export const exploreFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'attention', [
    headView,
    headSwitches,
    maskedTranslation,
    heatmapKeys,
    stepByStep,
    looks,
  ]);

/** Two columns of tokens, a line per (head, query, key) above the threshold; hover and pin. */
async function headView({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send(fx.attention);
  await p.rendered('24 heatmaps', 24);
  await page.locator('#view-heads').click();
  check(
    'head view: shown, heatmaps hidden',
    (await page.locator('#head-view').isVisible()) &&
      !(await page.locator('#sections').isVisible()),
  );
  const section = attentionSections(fx.attention.current!.attention)[0];
  const all = headViewModel(section, 0, [true, true, true, true], null).lines.length;
  check('head view: every line of layer 1 drawn', (await lines(page).count()) === all, all);
  check(
    'head view: 4 head checkboxes, all on',
    (await page.locator('.head-check-box:checked').count()) === 4,
  );
  await queryToken(page, 1).hover();
  const one = headViewModel(section, 0, [true, true, true, true], { side: 'query', index: 1 });
  const hovered = await lines(page).evaluateAll((ls) =>
    ls.map((l) => l.getAttribute('data-query')),
  );
  check(
    'head view: hovering a query shows only its lines',
    hovered.length === one.lines.length && hovered.every((q) => q === '1'),
    hovered.length,
  );
  await queryToken(page, 1).click();
  await page.mouse.move(2, 2);
  check(
    'head view: a click pins it (lines stay after the pointer leaves)',
    (await lines(page).count()) === one.lines.length &&
      (await queryToken(page, 1).getAttribute('aria-pressed')) === 'true',
  );
  await queryToken(page, 1).click();
  await page.mouse.move(2, 2);
  await page.locator('#hv-layer').focus();
  check('head view: a second click unpins', (await lines(page).count()) === all);
  await page.locator('#hv-layer').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focusedId = await page.evaluate('document.activeElement?.id');
  check('head view: Tab reaches the head checkboxes', focusedId === 'hv-head-0', focusedId);
  await page.locator('.hv-key[data-index="2"]').focus();
  await page.keyboard.press('Enter');
  const keyLines = await lines(page).evaluateAll((ls) => ls.map((l) => l.getAttribute('data-key')));
  check(
    'head view: Enter on a key token pins it',
    keyLines.length > 0 && keyLines.every((k) => k === '2'),
  );
  await page.locator('.hv-key[data-index="2"]').press('Space');
  await page.locator('#hv-kind').selectOption('encoderDecoder');
  await page.locator('#hv-layer').selectOption('1');
  const cross = attentionSections(fx.attention.current!.attention)[2];
  const crossAll = headViewModel(cross, 1, [true, true, true, true], null).lines.length;
  const drawn = await lines(page).count();
  check('head view: kind and layer selectors redraw', drawn === crossAll, { drawn, crossAll });
  const summary = (await page.locator('#hv-summary').textContent()) ?? '';
  check('head view: a text summary for screen readers', /head 1: strongest/.test(summary), summary);
}

/** A checkbox switches its head off (sent at once); a double-click leaves one head alone. */
async function headSwitches({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const before = await lines(page).count();
  await page.locator('#hv-head-1').uncheck();
  const m = await p.waitFor(isType('maskHeads'), 'maskHeads');
  check(
    'head view: unchecking posts the head off',
    JSON.stringify(m.off) === JSON.stringify([{ kind: 'encoderDecoder', layer: 1, head: 1 }]),
    m,
  );
  const heads = await lines(page).evaluateAll((ls) => ls.map((l) => l.getAttribute('data-head')));
  check('head view: its lines go', heads.length < before && !heads.includes('1'));
  await page.locator('#hv-head-2').dblclick();
  // The double-click's two clicks switch the head off and on again before it.
  const last = await p.waitFor(
    (x): x is Extract<typeof x, { type: 'maskHeads' }> =>
      x.type === 'maskHeads' && x.off.length === 3,
    'maskHeads of the double-click',
  );
  const offHeads = last.off.map((r) => r.head).sort();
  check(
    'head view: double-click leaves that head alone',
    JSON.stringify(offHeads) === '[0,1,3]',
    offHeads,
  );
  check(
    'head view: only its checkbox stays on',
    (await page.locator('.head-check-box:checked').count()) === 1 &&
      (await page.locator('#hv-head-2').isChecked()),
  );
  await page.locator('#reset-heads').click();
  check(
    'head view: Reset heads checks every head again',
    (await page.locator('.head-check-box:checked').count()) === 4 &&
      !(await page.locator('#masked').isVisible()),
  );
}

/** A heatmap's switch: sent, the masked translation beside the original, an old answer dropped. */
async function maskedTranslation({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#view-heatmaps').click();
  const toggle = figureTools(page, 'encoderSelf', 0, 0).locator('.head-toggle');
  check(
    'heatmaps: a head switch on each heatmap, on',
    (await page.locator('.head-toggle').count()) === 24 &&
      (await toggle.getAttribute('aria-pressed')) === 'true',
  );
  await toggle.click();
  const m = await p.waitFor(isType('maskHeads'), 'maskHeads from a heatmap');
  check(
    'heatmaps: the switch posts the head off',
    JSON.stringify(m.off) === JSON.stringify(MASKED_OFF),
    m,
  );
  check('masked: waiting shown', await page.locator('#masked-pending').isVisible());
  await p.send(fx.explore.masked);
  await page.locator('#masked-translation').waitFor();
  const r = fx.explore.masked.result!;
  check(
    'masked: the new translation',
    (await page.locator('#masked-translation').textContent()) === r.translation,
  );
  check(
    'masked: the original beside it',
    ((await page.locator('#masked-original').textContent()) ?? '').includes(
      fx.attention.current!.translation,
    ),
  );
  const ins = await page.locator('#masked-diff ins').count();
  const del = await page.locator('#masked-diff del').count();
  check(
    'masked: the token diff',
    ins === r.changes.filter((c) => c.op === 'added').length &&
      del === r.changes.filter((c) => c.op === 'removed').length,
    { ins, del },
  );
  check(
    'masked: BLEU against the reference',
    /^BLEU \d/.test((await page.locator('#masked-bleu').textContent()) ?? ''),
  );
  check(
    'masked: the timing',
    /click to translation \d+ ms/.test((await page.locator('#masked-timing').textContent()) ?? ''),
  );
  check(
    'heatmaps: the head is shown off',
    (await toggle.getAttribute('aria-pressed')) === 'false' &&
      (await page.locator('figure.heatmap.head-off').count()) === 1,
  );
  await shoot(p, 'explore-masked-light');
  await p.send({ ...fx.explore.masked, off: [], result: { ...r, translation: 'stale' } });
  await page.waitForTimeout(100);
  check(
    'masked: an answer for other heads is dropped',
    (await page.locator('#masked-translation').textContent()) === r.translation,
  );
}

/** On a focused heatmap, H switches its head and S opens its steps (the buttons are no tab stops). */
async function heatmapKeys({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const figure = page.locator(
    'figure.heatmap[data-kind="decoderSelf"][data-layer="1"][data-head="2"]',
  );
  await figure.focus();
  await page.keyboard.press('h');
  const m = await p.waitFor(isType('maskHeads'), 'maskHeads from the H key');
  check(
    'heatmaps: H on a focused heatmap switches its head off',
    m.off.length === 2 &&
      m.off.some((r) => r.kind === 'decoderSelf' && r.layer === 1 && r.head === 2),
    m,
  );
  await page.keyboard.press('h');
  const back = await p.waitFor(isType('maskHeads'), 'maskHeads from H again');
  await p.send(fx.explore.masked);
  check(
    'heatmaps: H again switches it back on',
    JSON.stringify(back.off) === JSON.stringify(MASKED_OFF),
    back,
  );
  await page.keyboard.press('s');
  const w = await p.waitFor(isType('walkHead'), 'walkHead from the S key');
  check(
    'heatmaps: S opens that head step by step',
    w.kind === 'decoderSelf' && w.layer === 1 && w.head === 2,
    w,
  );
  await page.locator('#walk-close').click();
}

/** The "Steps" button of a heatmap: the tables, the softmax equal to the heatmap's row. */
async function stepByStep({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await figureTools(page, 'encoderDecoder', 0, 0).locator('.head-steps').click();
  const m = await p.waitFor(isType('walkHead'), 'walkHead');
  check(
    'steps: the head and query posted, with the heads off',
    m.kind === WALKED.kind && m.layer === 0 && m.head === 0 && m.query === 0 && m.off.length === 1,
    m,
  );
  await p.send(fx.explore.walk);
  await page.locator('#walk-scores').waitFor();
  check(
    'steps: five tables, each captioned with its formula',
    (await page.locator('#walk table caption').count()) === 5,
  );
  const row = fx.attention.current!.attention.encoderDecoder[0][0][0];
  const shown = await page.locator('#walk-scores tbody tr td:nth-child(5)').allTextContents();
  check(
    'steps: the weights are the heatmap row',
    JSON.stringify(shown) === JSON.stringify(row.map((w) => (w === null ? '–' : w.toFixed(4)))),
    shown,
  );
  const softmax = await page.locator('#walk-scores tbody tr td:nth-child(4)').allTextContents();
  check(
    'steps: softmax of the scores equals them',
    JSON.stringify(softmax) === JSON.stringify(shown),
    softmax,
  );
  await shoot(p, 'explore-steps-light');
  await page.locator('#walk-query-select').selectOption('1');
  const next = await p.waitFor(isType('walkHead'), 'walkHead query 1');
  check('steps: another query from the keyboard-reachable select', next.query === 1);
  await page.locator('#walk-close').click();
  check('steps: Close hides them', !(await page.locator('#walk').isVisible()));
}

/** Dark, high contrast, narrow: screenshots of the head view and the masked translation. */
async function looks({ shoot, check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  for (const theme of [THEMES.dark, THEMES['high-contrast']]) {
    await setTheme(page, theme);
    await p.rendered(theme.name);
    await shoot(p, `explore-masked-${theme.name}`);
    await page.locator('#view-heads').click();
    await shoot(p, `explore-headview-${theme.name}`);
    await page.locator('#view-heatmaps').click();
  }
  await setTheme(page, THEMES.light);
  await p.rendered('light');
  await page.setViewportSize({ width: 420, height: 900 });
  await page.locator('#view-heads').click();
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  check('narrow: the page does not scroll sideways', width <= 420, width);
  await shoot(p, 'explore-headview-narrow');
  await page.setViewportSize(VIEWPORT);
}
