/**
 * Compare Runs' "Attention of two runs" (webview/compare/compareForm.ts, attentionCompare.ts):
 * the default runs and sentence, Compare, both runs' grids (4 and 2 layers), the kind switch,
 * and the layout: side by side when wide, stacked when narrow.
 */
import { parseWebviewMessage } from '../../../src/shared/validate';
import { VIEWPORT } from '../browser';
import { RUN_IDS } from '../fixtures';
import type { FlowContext, Step } from '../flow';
import { isType, PanelPage } from '../panelPage';
import { layoutBecomes, sideMaps } from './compareLocators';

export const attentionOfTwoRuns: Step[] = [compareTwoRuns, kindsAndLayout];

/** The two newest runs by default, "i'm home ."; Compare; both sides drawn. */
async function compareTwoRuns({ check, fx, timings }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const [run1, run2] = RUN_IDS;
  check(
    'compare: run A and run B default to the two newest, the sentence to "i\'m home ."',
    (await page.locator('#pick-a').inputValue()) === run2 &&
      (await page.locator('#pick-b').inputValue()) === run1 &&
      (await page.locator('#compare-sentence').inputValue()) === "i'm home .",
  );
  await page.locator('#compare').click();
  const req = await p.waitFor(isType('compareAttention'), 'compareAttention');
  check(
    'compare: Compare posts compareAttention',
    parseWebviewMessage(req).ok &&
      JSON.stringify(req.runIds) === JSON.stringify([run2, run1]) &&
      req.sentence === "i'm home .",
    req,
  );
  const t0 = Date.now();
  await p.send(fx.compareResult);
  const withMaps = await p.rendered('attention of two runs');
  timings.compareAttentionMs = Date.now() - t0;
  check(
    'compare: 4-layer and 2-layer sides draw 16 + 8 heatmaps (+ the loss chart)',
    withMaps === 25 &&
      (await sideMaps(page, 0, 'encoderSelf').count()) === 16 &&
      (await sideMaps(page, 1, 'encoderSelf').count()) === 8,
    withMaps,
  );
  const sideText = await page.locator('.compare-side').allInnerTexts();
  check(
    'compare: each side shows its label and translation',
    sideText.length === 2 &&
      sideText[0].includes('Run 2 · 4 layers · additive') &&
      sideText[1].includes('Run 1 · 2 layers') &&
      sideText.every((t) => t.includes('je suis chez moi .')),
    sideText,
  );
  check(
    'compare: the two runs side by side in a wide panel',
    (await page.locator('#compare-sides').getAttribute('data-layout')) === 'side-by-side',
  );
}

/** The kind switch re-renders both sides; a narrow panel stacks them. */
async function kindsAndLayout({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#kind-decoderSelf').click();
  check('compare: the kind switch re-renders', (await p.rendered('decoder self')) === 25);
  check(
    'compare: decoder self-attention shown for both runs',
    (await sideMaps(page, 0, 'decoderSelf').count()) === 16 &&
      (await sideMaps(page, 1, 'decoderSelf').count()) === 8 &&
      (await page.locator('#kind-decoderSelf').getAttribute('aria-pressed')) === 'true',
  );
  await page.locator('#kind-encoderDecoder').click();
  await p.rendered('encoder-decoder');
  await page.evaluate(`document.querySelector('#runs-table').parentElement.scrollLeft = 0`);
  await shoot(p, 'compare-light');
  await page.setViewportSize({ width: 620, height: 900 });
  // The layout is awaited, not a `rendered`: a full-page screenshot may resize the page too.
  check(
    'compare: a narrow panel stacks the runs, all heatmaps again',
    (await layoutBecomes(page, 'stacked')) && (await page.locator('figure.heatmap').count()) === 24,
  );
  await shoot(p, 'compare-narrow-light');
  await page.setViewportSize(VIEWPORT);
  check('compare: side by side again when wide', await layoutBecomes(page, 'side-by-side'));
}
