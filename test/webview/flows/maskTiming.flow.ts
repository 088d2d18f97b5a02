/**
 * The webview's part of "click a head off → new translation on screen" (issue 13's ≤ 50 ms), in
 * a fresh attention panel: for every head in turn, a real click on its heatmap's switch, the
 * host's answer sent at once, and the page's own clock (performance.now()) read by listeners
 * and a MutationObserver inside the page, never by polling from here:
 * - click → maskHeads posted (a capture listener on window runs before the switch's handler;
 *   the acquireVsCodeApi stand-in stamps each post, browser.ts);
 * - click handled (a bubble listener on window runs after the handler and its redraw);
 * - answer posted to the page → #masked-translation in the DOM (the observer's callback).
 * What the host and the worker take in between is `npm run bench -- --explore`'s to measure.
 * Speed is reported (ctx.timings: medians over the clicks), not asserted.
 */
import type { Page } from 'playwright-core';
import type { MaskHeadsMessage } from '../../../src/shared/protocol';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage } from '../panelPage';

/** The page's stamps for the click being measured (0: not yet). */
interface Stamps {
  click: number;
  handled: number;
  posted: number;
  replied: number;
  shown: number;
  /** #masked-translation's text when it was read. */
  text: string;
}

const INSTALL = `(() => {
  const t = (window.__maskTiming = { click: 0, handled: 0, replied: 0, shown: 0 });
  window.addEventListener('click', () => { t.click = performance.now(); }, true);
  window.addEventListener('click', () => { t.handled = performance.now(); });
  new MutationObserver(() => {
    if (t.replied && !t.shown && document.getElementById('masked-translation')) {
      t.shown = performance.now();
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

const RESET = `Object.assign(window.__maskTiming, { click: 0, handled: 0, replied: 0, shown: 0 })`;

/** The stamps of the last click, with the time the last message was posted. */
const READ = `(() => {
  const h = window.__harness;
  const text = document.getElementById('masked-translation')?.textContent ?? '';
  return { ...window.__maskTiming, posted: h.postedAt[h.postedAt.length - 1] ?? 0, text };
})()`;

export const maskTimingFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'attention', [measureClicks]);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

/** Posts the host's answer to `m` with the page's clock stamped just before. */
async function answer(page: Page, reply: unknown): Promise<void> {
  await page.evaluate((r) => {
    const w = globalThis as unknown as {
      __maskTiming: { replied: number };
      postMessage(m: unknown, o: string): void;
    };
    w.__maskTiming.replied = performance.now();
    w.postMessage(r, '*');
  }, reply);
}

/** One head switched off on its heatmap and answered; the page's stamps. */
async function oneClick(ctx: FlowContext, p: PanelPage, toggle: number): Promise<Stamps> {
  const { page } = p;
  await page.evaluate(RESET);
  await page.locator('.head-toggle').nth(toggle).click();
  const m: MaskHeadsMessage = await p.waitFor(isType('maskHeads'), `maskHeads ${toggle}`);
  await answer(page, { ...ctx.fx.explore.masked, translationId: m.translationId, off: m.off });
  await page.waitForFunction('window.__maskTiming.shown > 0', undefined, { timeout: 10_000 });
  const stamps = (await page.evaluate(READ)) as Stamps;
  await page.locator('#reset-heads').click(); // every head on again: the next click is one off
  return stamps;
}

async function measureClicks(ctx: FlowContext, p: PanelPage): Promise<void> {
  const { check, fx, timings } = ctx;
  const { page } = p;
  await p.send(fx.attention);
  await p.rendered('24 heatmaps', 24);
  await page.evaluate(INSTALL);
  const toggles = await page.locator('.head-toggle').count();
  const all: Stamps[] = [];
  for (let i = 0; i < toggles; i++) all.push(await oneClick(ctx, p, i));
  const expected = fx.explore.masked.result!.translation;
  check(
    `mask timing: ${toggles} clicks, each posted and its answer shown`,
    toggles === 24 &&
      all.every(
        (s) => s.click > 0 && s.posted >= s.click && s.shown >= s.replied && s.text === expected,
      ),
    all.slice(0, 2),
  );
  const toPost = all.map((s) => s.posted - s.click);
  const toShown = all.map((s) => s.shown - s.replied);
  const round = (x: number) => Math.round(x * 10) / 10;
  Object.assign(timings, {
    maskClicks: all.length,
    maskClickToPostMs: round(median(toPost)),
    maskClickHandlerMs: round(median(all.map((s) => s.handled - s.click))),
    maskAnswerToShownMs: round(median(toShown)),
    maskWebviewSideMs: round(median(all.map((_, i) => toPost[i] + toShown[i]))),
  });
}
