/**
 * The attention panel without a mouse and without colour (webview/shared/cellFocus.ts,
 * heatmapGrid.ts): Tab reaches the heatmaps one tab stop each, the arrow keys, Home / End and
 * PageUp / PageDown move over the cells and the live text says the focused cell's query, key
 * and weight once; Enter pins the tip, Escape unpins it; a click focuses the clicked cell; "Show
 * as table" shows tables whose numbers are the maps'; reduce motion stops the ring's motion; a
 * 400 px panel wraps the heads into rows and needs no sideways scrolling.
 */
import type { Page } from 'playwright-core';
import { setReduceMotion, VIEWPORT } from '../browser';
import type { FlowContext, Step } from '../flow';
import { PanelPage, sleep } from '../panelPage';

export const keyboardAndTables: Step[] = [keyboardCells, pinAndClick, tablesMatchData];
export const motionAndWidth: Step[] = [reduceMotion, narrowPanel];

/** Kind/layer/head of the focused heatmap, or the focused element's tag. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(`(() => {
    const a = document.activeElement;
    if (!a) return 'none';
    return a.matches('figure.heatmap') ? [a.dataset.kind, a.dataset.layer, a.dataset.head].join('/') : a.tagName;
  })()`) as Promise<string>;

const liveText = (page: Page): Promise<string> =>
  page.locator('.attention-section[data-kind="encoderSelf"] .heatmap-live').innerText();

/** What the live region must say for encoder self-attention, layer 1, head 1, cell (q, k). */
function expected(ctx: FlowContext, q: number, k: number): string {
  const maps = ctx.fx.attention.current!.attention;
  const w = maps.encoderSelf[0][0][q][k];
  const label = (i: number) => `${i} ${maps.sourceTokens[i]}`;
  const weight = typeof w === 'number' ? w.toFixed(3) : 'masked';
  return `query ${label(q)}, key ${label(k)}, weight ${weight}`;
}

/** Tab in, then each key: the live text follows, each part said once, no per-cell ARIA text. */
async function keyboardCells(ctx: FlowContext, p: PanelPage): Promise<void> {
  const { check } = ctx;
  const { page } = p;
  const n = ctx.fx.attention.current!.attention.sourceTokens.length;
  await page.locator('#export-json').focus();
  await page.keyboard.press('Tab');
  check(
    'attention: Tab from the toolbar reaches the first heatmap',
    (await focused(page)) === 'encoderSelf/0/0',
    await focused(page),
  );
  check('attention: focus says the first cell', (await liveText(page)) === expected(ctx, 0, 0));
  const steps: [string, number, number][] = [
    ['ArrowRight', 0, 1],
    ['ArrowDown', 1, 1],
    ['End', 1, n - 1],
    ['Home', 1, 0],
    ['PageDown', n - 1, 0],
    ['Control+End', n - 1, n - 1],
    ['PageUp', 0, n - 1],
    ['Control+Home', 0, 0],
  ];
  const wrong: unknown[] = [];
  for (const [key, q, k] of steps) {
    await page.keyboard.press(key);
    const text = await liveText(page);
    if (text !== expected(ctx, q, k)) wrong.push({ key, text, expected: expected(ctx, q, k) });
  }
  check(
    'attention: arrows, Home/End, PageUp/PageDown move the focus and the live text',
    wrong.length === 0,
    wrong,
  );
  await page.keyboard.press('ArrowRight');
  const said = await liveText(page);
  check(
    'attention: query, key and weight said once each',
    ['query', 'key', 'weight'].every((w) => said.split(w).length === 2),
    said,
  );
  const ariaPerCell = await page.locator('figure.heatmap svg [aria-label]').count();
  check('attention: no ARIA text per cell in the charts', ariaPerCell === 0, ariaPerCell);
  await ringOnCell(ctx, p, 'the ring sits on the focused cell');
  await page.keyboard.press('Tab');
  check(
    'attention: Tab goes to the next heatmap, not the next cell',
    (await focused(page)) === 'encoderSelf/0/1',
    await focused(page),
  );
  await page.keyboard.press('Shift+Tab');
}

/** The focus ring covers exactly one cell of its heatmap (a rect of the chart). */
async function ringOnCell(ctx: FlowContext, p: PanelPage, what: string): Promise<void> {
  await sleep(200); // the ring glides for 80 ms (media/styles/charts.css)
  const onCell = await p.page.evaluate(`(() => {
    const ring = document.querySelector('.cell-focus.focus');
    if (!ring) return 'no ring';
    const r = ring.getBoundingClientRect();
    const cells = [...ring.closest('figure').querySelectorAll('g.mark-rect path')];
    const same = cells.some((c) => {
      const b = c.getBoundingClientRect();
      return Math.abs(b.left - r.left) < 1.5 && Math.abs(b.top - r.top) < 1.5 &&
        Math.abs(b.width - r.width) < 1.5 && Math.abs(b.height - r.height) < 1.5;
    });
    const box = (b) => [b.left, b.top, b.width, b.height].map(Math.round).join(',');
    return same || { ring: box(r), first: box(cells[0].getBoundingClientRect()) };
  })()`);
  ctx.check(`attention: ${what}`, onCell === true, onCell);
}

/** Enter pins the tip (it stays on the next heatmap), Escape unpins; a click focuses a cell. */
async function pinAndClick(ctx: FlowContext, p: PanelPage): Promise<void> {
  const { check, shoot } = ctx;
  const { page } = p;
  await page.keyboard.press('Enter');
  const focusTip = page.locator('.cell-tip.focus:visible');
  check(
    'attention: Enter pins the tip of the focused cell',
    (await focusTip.isVisible()) && /pinned/.test(await focusTip.innerText()),
  );
  await page.keyboard.press('Tab');
  const pinTip = page.locator('.cell-tip.pin:visible');
  const pinText = (await pinTip.innerText().catch((e: Error) => e.message.slice(0, 300))).replace(
    /\s+/g,
    ' ',
  );
  check(
    'attention: the pinned tip stays when the focus moves to the next heatmap',
    (await pinTip.isVisible()) &&
      pinText.includes('Layer 1 · head 1') &&
      pinText.includes('pinned'),
    pinText,
  );
  // Only now: a full-page screenshot resizes the page, and a relayout (another cell size or
  // heads per row) draws new heatmaps, which drops the pin; under load that raced the check.
  await shoot(p, 'attention-keyboard-pinned-light');
  await page.keyboard.press('Escape');
  check('attention: Escape unpins it', !(await pinTip.isVisible()));
  const cell = page
    .locator(
      'figure.heatmap[data-kind="encoderSelf"][data-layer="1"][data-head="2"] g.mark-rect.layer_1_marks path',
    )
    .nth(5);
  await cell.click();
  check('attention: a click focuses that heatmap', (await focused(page)) === 'encoderSelf/1/2');
  await ringOnCell(ctx, p, 'a click puts the ring on the clicked cell');
  await page.locator('#sentence').focus();
}

/** "Show as table": a captioned table per heatmap, with the maps' weights; back to charts. */
async function tablesMatchData(ctx: FlowContext, p: PanelPage): Promise<void> {
  const { check, shoot, fx } = ctx;
  const { page } = p;
  await page.locator('#show-table').click();
  check('attention: the charts stay drawn under the tables', (await p.rendered('tables')) === 24);
  check(
    'attention: "Show as table" is pressed and the charts give way to 24 tables',
    (await page.locator('#show-table').getAttribute('aria-pressed')) === 'true' &&
      (await page.locator('#sections table.heatmap-table').count()) === 24 &&
      (await page.locator('.heatmap-grid:visible').count()) === 0,
  );
  const maps = fx.attention.current!.attention;
  const table = page
    .locator('.attention-section[data-kind="encoderSelf"] table.heatmap-table')
    .first();
  const got = await table.evaluate((t) => ({
    caption: t.querySelector('caption')?.textContent ?? '',
    cols: [...t.querySelectorAll('thead th[scope="col"]')].map((th) => th.textContent),
    rowHeads: [...t.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent),
    cells: [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    ),
  }));
  const labels = maps.sourceTokens.map((t, i) => `${i} ${t}`);
  const weights = maps.encoderSelf[0][0].map((row) =>
    row.map((w) => (w === null ? 'masked' : w.toFixed(3))),
  );
  check(
    'attention: the table names kind, layer and head, with <th scope> headers and the map’s weights',
    got.caption.startsWith('Encoder self-attention, layer 1, head 1') &&
      JSON.stringify(got.cols) === JSON.stringify(['query \\ key', ...labels]) &&
      JSON.stringify(got.rowHeads) === JSON.stringify(labels) &&
      JSON.stringify(got.cells) === JSON.stringify(weights),
    got,
  );
  await shoot(p, 'attention-tables-light');
  await page.locator('#show-table').click();
  await p.rendered('charts again');
  check(
    'attention: pressed again, the charts come back',
    (await page.locator('#sections .heatmap-grid:visible').count()) === 3,
  );
}

/** The ring glides between cells, unless VS Code asks for reduced motion. */
async function reduceMotion({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('figure.heatmap').first().focus();
  const duration = () =>
    page.evaluate(
      `getComputedStyle(document.querySelector('.cell-focus.focus')).transitionDuration`,
    ) as Promise<string>;
  const moving = await duration();
  await setReduceMotion(page, true);
  const still = await duration();
  await setReduceMotion(page, false);
  check(
    'attention: vscode-reduce-motion turns transitions off',
    moving !== '0s' && /^0s(, 0s)*$/.test(still),
    { moving, still },
  );
  await page.locator('#sentence').focus();
}

/** 400 px wide: heads wrapped into rows, every heatmap in view without sideways scrolling. */
async function narrowPanel({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.setViewportSize({ width: 400, height: 900 });
  await page.locator('.heatmap-grid[data-layout="wrapped"]').first().waitFor({ timeout: 10_000 });
  await p.rendered('400 px');
  const fit = await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const figures = [...document.querySelectorAll('figure.heatmap')];
    return {
      width,
      pageScrolls: document.documentElement.scrollWidth > width,
      gridsScroll: [...document.querySelectorAll('.grid-scroll')].filter((g) => g.scrollWidth > g.clientWidth)
        .map((g) => g.closest('section')?.getAttribute('aria-labelledby') + ' ' + g.scrollWidth + '/' + g.clientWidth),
      outside: figures.filter((f) => f.getBoundingClientRect().right > width).length,
      captions: [...document.querySelectorAll('figure.heatmap .head-caption')].slice(0, 4).map((c) => c.textContent),
      // The workbench at 1000×700 cut the head captions to "Hea": none may be clipped.
      clipped: [...document.querySelectorAll('.head-caption, .col-header, .layer-header, .row-header')]
        .filter((c) => c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().right > width).length,
      // The attention heatmaps (the rollout map's is checked above with them).
      figures: document.querySelectorAll('#sections figure.heatmap').length,
    };
  })()`);
  const f = fit as {
    pageScrolls: boolean;
    gridsScroll: string[];
    outside: number;
    captions: string[];
    clipped: number;
    figures: number;
  };
  check(
    'attention: at 400 px every head is in view, captions whole, heads wrapped, no sideways scrolling',
    f.figures === 24 &&
      !f.pageScrolls &&
      f.gridsScroll.length === 0 &&
      f.outside === 0 &&
      f.clipped === 0 &&
      JSON.stringify(f.captions) === JSON.stringify(['Head 1', 'Head 2', 'Head 3', 'Head 4']),
    fit,
  );
  await shoot(p, 'attention-400px-light');
  await page.setViewportSize(VIEWPORT);
  await page.locator('.heatmap-grid[data-layout="rows"]').first().waitFor({ timeout: 10_000 });
  await p.rendered('wide again');
}
