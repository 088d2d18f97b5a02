/**
 * The attention panel's statistics of the sentence shown (issue 13 item 4): the per-head table
 * (its numbers, sorting by click and by keyboard, the kind filter, the held-out averages of a
 * head report beside them, the masked translation's numbers), each heatmap's label, and the
 * rollout map (its numbers, layer selector, keyboard, table, and the heads switched off), in
 * the light, dark and high-contrast themes and a narrow panel.
 */
import type { Page } from 'playwright-core';
import { headStatsOf } from '../../../src/explore/headStats';
import { encoderRollout } from '../../../src/explore/rollout';
import { headsOffMask } from '../../../src/model/headMask';
import { formatWeight } from '../../../webview/specs/cellNavigation';
import {
  LABEL_COLUMN,
  STAT_COLUMNS,
  labelsOf,
  sortStatRows,
  statRowName,
  statRows,
} from '../../../webview/specs/headStatRows';
import { sampleHeadReport } from '../../helpers/headReports';
import { VIEWPORT, setTheme } from '../browser';
import { FlowContext, runSteps } from '../flow';
import { MASKED_OFF } from '../messages/explore';
import { isType, PanelPage } from '../panelPage';
import { THEMES } from '../themes';

export const attentionStatsFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'attention', [
    statsTable,
    sorting,
    heldOut,
    headerLabels,
    rollout,
    headsOff,
    looks,
  ]);

const REPORT = { report: sampleHeadReport(2, 4), source: 'Run 3 · 2 layers' };

const rowNames = (page: Page) =>
  page.locator('#stats-table tbody th[scope="row"]').allTextContents();

/** The text of column `key` of this sentence (`.stat-now`) or held-out (`.stat-held-out`). */
const column = (page: Page, key: string, part = 'stat-now') =>
  page.locator(`#stats-table td[data-column="${key}"] .${part}`).allTextContents();

/** Waits until the column header `key` says it is sorted in `direction`. */
const sortedBy = (page: Page, key: string, direction: 'ascending' | 'descending') =>
  page.locator(`th[aria-sort="${direction}"] #stats-sort-${key}`).waitFor({ timeout: 10_000 });

/** The rollout table's cells, as text. */
const rolloutCells = (page: Page) =>
  page
    .locator('#rollout table.heatmap-table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );

const asText = (m: number[][]) => m.map((row) => row.map((w) => formatWeight(w)));

/** 24 rows, this sentence's numbers, no held-out averages yet and a button to score. */
async function statsTable({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send(fx.attention);
  await p.rendered('24 heatmaps', 24);
  await page.locator('#stats-table').waitFor();
  const maps = fx.attention.current!.attention;
  const rows = statRows(headStatsOf(maps));
  check(
    'stats: a row per head, in head order',
    JSON.stringify(await rowNames(page)) === JSON.stringify(rows.map(statRowName)),
  );
  const wrong = [];
  for (const c of [...STAT_COLUMNS, LABEL_COLUMN]) {
    const shown = await column(page, c.key);
    if (JSON.stringify(shown) !== JSON.stringify(rows.map((r) => c.text(r))))
      wrong.push({ column: c.key, shown });
  }
  check(
    'stats: every value is the sentence’s (headStatsOf of the maps shown)',
    wrong.length === 0,
    wrong,
  );
  const subject = (await page.locator('#stats-subject').textContent()) ?? '';
  check('stats: says which sentence', subject.includes(fx.attention.current!.source), subject);
  check(
    'stats: no held-out averages without a report',
    (await page.locator('#stats-table .stat-held-out').count()) === 0,
  );
  await page.locator('#stats-score').click();
  await p.waitFor(isType('scoreHeadImportance'), 'scoreHeadImportance');
  check('stats: "Score heads" asks the host to score', true);
}

/** Sort buttons: click, then Enter and Space on the focused header; the kind filter. */
async function sorting({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const rows = statRows(headStatsOf(fx.attention.current!.attention));
  const order = (column: string, direction: 'asc' | 'desc') =>
    JSON.stringify(sortStatRows(rows, { column, direction }, 'all').map(statRowName));
  await page.locator('#stats-sort-previous').click();
  await sortedBy(page, 'previous', 'descending');
  check(
    'stats: a click sorts by that column, largest first',
    JSON.stringify(await rowNames(page)) === order('previous', 'desc'),
  );
  await page.locator('#stats-sort-entropy').focus();
  await page.keyboard.press('Enter');
  await sortedBy(page, 'entropy', 'descending');
  const focused = await page.evaluate('document.activeElement?.id');
  check(
    'stats: Enter on a focused header sorts, and the focus stays on it',
    JSON.stringify(await rowNames(page)) === order('entropy', 'desc') &&
      focused === 'stats-sort-entropy',
    focused,
  );
  await page.keyboard.press('Space');
  await sortedBy(page, 'entropy', 'ascending');
  check(
    'stats: Space again flips the order',
    JSON.stringify(await rowNames(page)) === order('entropy', 'asc'),
  );
  await page.locator('#stats-kind-decoderSelf').click();
  await page.locator('#stats-kind-decoderSelf[aria-pressed="true"]').waitFor();
  const dec = await rowNames(page);
  check(
    'stats: the kind filter lists that kind only',
    dec.length === 8 && dec.every((n) => n.startsWith('dec ')),
    dec,
  );
  await page.locator('#stats-kind-all').click();
  await page.locator('#stats-sort-head').click();
  await sortedBy(page, 'head', 'ascending');
}

/** A head report: each value gets the head's held-out average under it, said as such. */
async function heldOut({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send({ ...fx.attention, headReport: REPORT });
  await p.rendered('with a head report', 24);
  const held = await page.locator('#stats-table .stat-held-out').count();
  check('stats: a held-out average under every value', held === 24 * 9, held);
  const prev = await column(page, 'previous', 'stat-held-out');
  const labels = await column(page, 'label', 'stat-held-out');
  check(
    'stats: the report’s numbers, head by head (enc 1.2: 70% previous, "previous token")',
    prev[1] === 'held-out average 70%' && labels[1] === 'held-out average previous token',
    { prev: prev.slice(0, 2), labels: labels.slice(0, 2) },
  );
  const note = (await page.locator('#stats-note').textContent()) ?? '';
  check(
    'stats: the note names the report’s run and pairs',
    note.includes('Run 3') &&
      note.includes('200 held-out pairs') &&
      !(await page.locator('#stats-score').isVisible()),
    note,
  );
}

/** Each heatmap's label: shown as text and at the end of its accessible name. */
async function headerLabels({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const labels = labelsOf(fx.attention.current!.attention);
  const shown = await page.locator('#sections figure.heatmap').evaluateAll((fs) =>
    fs.map((f) => ({
      kind: f.getAttribute('data-kind') as string,
      layer: Number(f.getAttribute('data-layer')),
      head: Number(f.getAttribute('data-head')),
      text: f.querySelector('.head-stat-label:not([hidden])')?.textContent ?? null,
      name: f.getAttribute('aria-label') ?? '',
    })),
  );
  const wrong = shown.filter((s) => {
    const label = labels[s.kind as keyof typeof labels][s.layer][s.head];
    const base = `, layer ${s.layer + 1}, head ${s.head + 1}`;
    return label
      ? s.text !== label || !s.name.endsWith(`${base}: ${label}`)
      : s.text !== null || !s.name.endsWith(base);
  });
  const labelled = shown.filter((s) => s.text !== null).length;
  check(
    'labels: each heatmap shows its head’s label, as text and in its name',
    shown.length === 24 && wrong.length === 0 && labelled > 0,
    { labelled, wrong },
  );
}

/** The rollout map: the last layer's by default, by keyboard, as a table, after layer 1. */
async function rollout({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const maps = fx.attention.current!.attention;
  const expected = encoderRollout(maps);
  const figure = page.locator('#rollout figure.heatmap');
  check(
    'rollout: one heatmap, drawn, after the last layer',
    (await figure.count()) === 1 &&
      (await figure.locator('svg').count()) === 1 &&
      (await page.locator('#rollout-layer').inputValue()) === '1' &&
      (await figure.getAttribute('aria-label')) ===
        'Attention rollout over the encoder, after layer 2 of 2',
  );
  await figure.focus();
  await page.keyboard.press('ArrowRight');
  const live = await page.locator('#rollout .heatmap-live').innerText();
  const tok = (i: number) => `${i} ${expected.tokens[i]}`;
  check(
    'rollout: the arrow keys move over its cells and say them',
    live === `query ${tok(0)}, key ${tok(1)}, weight ${formatWeight(expected.layers[1][0][1])}`,
    live,
  );
  await shoot(p, 'stats-rollout-light');
  await page.locator('#show-table').click();
  await p.rendered('tables');
  check(
    'rollout: "Show as table" gives its numbers (encoderRollout of the maps)',
    JSON.stringify(await rolloutCells(page)) === JSON.stringify(asText(expected.layers[1])),
  );
  // By value: a bare '1' would also match the label "1" of layer 1's option.
  await page.locator('#rollout-layer').selectOption({ value: '0' });
  await page
    .locator('#rollout table.heatmap-table caption', { hasText: 'after layer 1 of 2' })
    .waitFor({ timeout: 10_000 });
  check(
    'rollout: the layer selector shows the rollout after layer 1',
    JSON.stringify(await rolloutCells(page)) === JSON.stringify(asText(expected.layers[0])),
  );
  await page.locator('#rollout-layer').selectOption({ value: '1' });
  await page.locator('#rollout table caption', { hasText: 'layer 2 of 2' }).waitFor();
  await page.locator('#show-table').click();
  await p.rendered('charts again');
}

/** Heads off: the rollout leaves them out, on the masked maps; the table can show those. */
async function headsOff({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page
    .locator('.figure-tools[data-kind="encoderSelf"][data-layer="0"][data-head="0"] .head-toggle')
    .click();
  await p.waitFor(isType('maskHeads'), 'maskHeads');
  await page.locator('#rollout-note', { hasText: 'follow' }).waitFor({ timeout: 10_000 });
  await p.send(fx.explore.masked);
  await page.locator('#masked-translation').waitFor();
  await page.locator('#rollout-note', { hasText: 'left out of the means.' }).waitFor();
  await page.locator('#show-table').click();
  await p.rendered('tables');
  const maskedMaps = fx.explore.masked.result!.attention;
  const mask = headsOffMask({ numLayers: 2, numHeads: 4 }, MASKED_OFF);
  const expected = asText(encoderRollout(maskedMaps, mask).layers[1]);
  check(
    'rollout: with a head off, the masked maps without it',
    JSON.stringify(await rolloutCells(page)) === JSON.stringify(expected) &&
      JSON.stringify(expected) !== JSON.stringify(asText(encoderRollout(maskedMaps).layers[1])),
  );
  await page.locator('#stats-of-masked').click();
  await page.locator('#stats-table tbody th', { hasText: 'enc 1.1 (off)' }).waitFor();
  const rows = statRows(headStatsOf(maskedMaps));
  check(
    'stats: "Those heads off" shows the masked translation’s numbers',
    JSON.stringify(await column(page, 'entropy')) ===
      JSON.stringify(rows.map((r) => STAT_COLUMNS[0].text(r))),
  );
  await page.locator('#reset-heads').click();
  await page.locator('#stats-of-original').waitFor({ state: 'hidden' });
  check(
    'stats: Reset heads goes back to the sentence with every head on',
    (await page.locator('#stats-table tbody th', { hasText: '(off)' }).count()) === 0 &&
      (await page.locator('#rollout-note').textContent()) === '',
  );
  await page.locator('#show-table').click();
  await p.rendered('charts again');
}

/** Dark, high contrast, narrow. */
async function looks({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#stats').scrollIntoViewIfNeeded();
  await shoot(p, 'stats-table-light');
  for (const theme of [THEMES.dark, THEMES['high-contrast']]) {
    await setTheme(page, theme);
    await p.rendered(theme.name);
    await shoot(p, `stats-${theme.name}`);
  }
  await setTheme(page, THEMES.light);
  await p.rendered('light');
  await page.setViewportSize({ width: 420, height: 900 });
  await p.rendered('narrow');
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  // What sticks out, if anything (the outermost elements past the edge).
  const wide = await page.evaluate(
    `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 421 &&
      e.parentElement.getBoundingClientRect().right <= 421).map((e) => e.id || e.className || e.tagName)`,
  );
  const rollout = await page.locator('#rollout .grid-scroll').evaluate((g) => ({
    scroll: g.scrollWidth,
    client: g.clientWidth,
    right: g.querySelector('figure')!.getBoundingClientRect().right,
  }));
  check(
    'narrow: the page does not scroll sideways; the rollout fits',
    width <= 420 && rollout.right <= 420 && rollout.scroll <= rollout.client,
    { width, rollout, wide },
  );
  await shoot(p, 'stats-narrow');
  await page.setViewportSize(VIEWPORT);
}
