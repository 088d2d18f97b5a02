/**
 * Compare Runs for keyboard, screen-reader and narrow-panel users (webview/compare/): the empty
 * history's Train button; the runs table at 400 px (the compact columns, no sideways scrolling,
 * "Show all columns" scrolling inside the table with the run's name in view); the curves and
 * the compared heatmaps as tables whose numbers are the runs'.
 */
import { VIEWPORT } from '../browser';
import type { FlowContext, Step } from '../flow';
import { isType, PanelPage } from '../panelPage';
import { same } from './compareLocators';

export const emptyHistory: Step[] = [emptyTrainButton];
export const narrowTable: Step[] = [compactColumns];
export const curvesTable: Step[] = [curvesAsTable];
export const attentionTables: Step[] = [attentionAsTables];

async function emptyTrainButton({ check }: FlowContext, p: PanelPage): Promise<void> {
  await p.page.locator('#empty-train').click();
  const run = await p.waitFor(isType('runCommand'), 'runCommand');
  check('compare: the empty history’s button runs Train Transformer', run.command === 'train', run);
  await p.page.locator('#empty-open-model').click();
  const open = await p.waitFor(isType('runCommand'), 'runCommand');
  check(
    'compare: the empty history’s Open Model… runs the command',
    open.command === 'openModel',
    open,
  );
}

/** The data-column of each visible header cell, and whether the table scrolls sideways. */
function tableShape(p: PanelPage) {
  return p.page.evaluate(`(() => {
    const box = document.querySelector('#runs-table').parentElement;
    const visible = (el) => el.getBoundingClientRect().width > 0;
    return {
      columns: [...document.querySelectorAll('#runs-table thead th[data-column]')]
        .filter(visible).map((th) => th.dataset.column),
      scrolls: box.scrollWidth > box.clientWidth,
    };
  })()`) as Promise<{ columns: string[]; scrolls: boolean }>;
}

/** 400 px: the compact columns fit; all columns scroll inside the table, the name stays. */
async function compactColumns({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const toggle = page.locator('#all-columns');
  check(
    'compare: a wide panel shows every column, no "Show all columns"',
    !(await toggle.isVisible()),
  );
  await page.setViewportSize({ width: 400, height: 900 });
  await toggle.waitFor({ timeout: 5_000 });
  const compact = await tableShape(p);
  check(
    'compare: at 400 px the table keeps run, status, loss and BLEU, without sideways scrolling',
    same(compact.columns, ['run', 'status', 'loss', 'bleu4']) && !compact.scrolls,
    compact,
  );
  await shoot(p, 'compare-400px-light');
  await toggle.click();
  const all = await tableShape(p);
  const name = await page.evaluate(`(() => {
    const box = document.querySelector('#runs-table').parentElement;
    box.scrollLeft = box.scrollWidth;
    const cell = document.querySelector('#runs-table tbody th.run-name');
    return { left: cell.getBoundingClientRect().left - box.getBoundingClientRect().left, scrolled: box.scrollLeft };
  })()`);
  const n = name as { left: number; scrolled: number };
  check(
    'compare: "Show all columns" shows all 17, scrolling inside the table, the run name in view',
    all.columns.length === 17 && all.scrolls && n.scrolled > 0 && n.left >= 0 && n.left < 40,
    { all, name },
  );
  await shoot(p, 'compare-400px-all-columns-light');
  await toggle.click();
  await page.evaluate(`document.querySelector('#runs-table').parentElement.scrollLeft = 0`);
  await page.setViewportSize(VIEWPORT);
  await toggle.waitFor({ state: 'hidden', timeout: 5_000 });
}

/** The text of a table's body: each row's header and cells. */
function bodyRows(p: PanelPage, selector: string): Promise<string[][]> {
  return p.page
    .locator(`${selector} tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
}

/** The checked runs' curves as a table: a row per epoch, a column per run, their losses. */
async function curvesAsTable({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#curves-show-table').click();
  check('compare: the curves as a table draw no chart', (await p.rendered('curves table')) === 0);
  const runs = [...fx.runs.runs].sort((a, b) => b.number - a.number); // the table's order
  const epochs = [...new Set(runs.flatMap((r) => r.points.map((pt) => pt.epoch)))].sort(
    (a, b) => a - b,
  );
  const expected = epochs.map((e) => [
    String(e),
    ...runs.map((r) => r.points.find((pt) => pt.epoch === e)?.lossPerToken.toFixed(4) ?? '—'),
  ]);
  const got = await bodyRows(p, '#curves-table');
  const heads = await page.locator('#curves-table thead th[scope="col"]').allTextContents();
  check(
    'compare: the curves table has the runs’ losses, a column per run',
    same(heads, ['Epoch', 'Run 2', 'Run 1']) && same(got, expected),
    { heads, got: got.slice(0, 2), expected: expected.slice(0, 2) },
  );
  check(
    'compare: no chart to export while the table shows',
    await page.locator('#export-png').isDisabled(),
  );
  await page.locator('#curves-show-table').click();
  check('compare: the chart again', (await p.rendered('curves chart')) === 1);
}

/** Both runs' heatmaps as tables, captioned with the run; the numbers of side A's first map. */
async function attentionAsTables({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#compare-show-table').click();
  await p.rendered('compared tables');
  const side = fx.compareResult.sides[0];
  const maps = side.item!.attention;
  const valid = maps.sourceValidLen;
  const expected = maps.encoderDecoder[0][0].map((row, q) => [
    `${q} ${maps.targetInputTokens[q]}`,
    ...row.slice(0, valid).map((w) => (w === null ? 'masked' : w.toFixed(3))),
  ]);
  const first = '.compare-side[data-side="0"] table.heatmap-table >> nth=0';
  const caption = await page.locator(first).locator('caption').innerText();
  const got = await bodyRows(
    p,
    '.compare-side[data-side="0"] .heatmap-tables .table-scroll:first-child',
  );
  check(
    'compare: 24 tables, captioned with the run, kind, layer and head, with the maps’ weights',
    (await page.locator('.compare-side table.heatmap-table').count()) === 24 &&
      caption.startsWith(`${side.label}: Encoder–decoder attention, layer 1, head 1`) &&
      same(got, expected),
    { caption, got: got.slice(0, 2), expected: expected.slice(0, 2) },
  );
  await page.locator('#compare-show-table').click();
  await p.rendered('compared charts');
}
