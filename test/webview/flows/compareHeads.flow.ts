/**
 * Compare Runs' "Head importance of two runs" (webview/compare/headsCompare.ts): run A and run B
 * as picked (Run 2 and Run 1), a run without a head report (its "Score Head Importance" button
 * asks the host for that run), both runs' layer × head grids on one colour scale and both
 * pruning curves on one chart, the measure switch, the keyboard over a grid, "Show as table",
 * the runs toolbar's Open Model…, and the Score button of a run without a held-out BLEU.
 */
import type { RunRecord, RunsStateMessage } from '../../../src/shared/protocol';
import { sampleHeadReport } from '../../helpers/headReports';
import { RUN_IDS } from '../fixtures';
import type { FlowContext, Step } from '../flow';
import { isType, PanelPage } from '../panelPage';

export const headsOfTwoRuns: Step[] = [
  oneReport,
  twoReports,
  measureAndKeys,
  headsAsTables,
  scoreHeldOut,
];

const [run1, run2] = RUN_IDS;
/** Run 1: 2 layers × 4 heads (gradients up to 2.3); Run 2: 4 layers × 4 heads (up to 4.7). */
const REPORTS: Record<string, RunRecord['heads']> = {
  [run1]: sampleHeadReport(2, 4),
  [run2]: sampleHeadReport(4, 4),
};

/** fx.runs with a head report on the runs listed. */
function withReports(runs: RunsStateMessage, ids: readonly string[]): RunsStateMessage {
  return {
    ...runs,
    runs: runs.runs.map((r) => (ids.includes(r.id) ? { ...r, heads: REPORTS[r.id] } : r)),
  };
}

const side = (p: PanelPage, letter: 'A' | 'B') =>
  p.page.locator(`#heads-sides .heads-side[data-side="${letter}"]`);

/** A cell's --strength (its colour's share), from its style attribute (set through the CSSOM). */
async function strength(p: PanelPage, letter: 'A' | 'B', head: string): Promise<string> {
  const style = await side(p, letter).locator(`td[data-head="${head}"]`).getAttribute('style');
  return /--strength:\s*([\d.]+%)/.exec(style ?? '')?.[1] ?? '';
}

/** Only Run 1 has a report: Run 2 (side A) says so and offers to score it. */
async function oneReport({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  await p.send(fx.runs);
  const before = await p.rendered('no head report');
  await p.send(withReports(fx.runs, [run1]));
  const after = await p.rendered('one head report');
  check('compare: a head report adds the pruning chart', after === before + 1, { before, after });
  const a = (await side(p, 'A').innerText()) ?? '';
  check(
    'compare: a run without a head report says so, with a Score Head Importance button',
    a.includes('Run 2') &&
      a.includes('has no head report yet') &&
      (await side(p, 'A').locator('table').count()) === 0,
    a,
  );
  check(
    'compare: the run with a report shows one grid per kind',
    (await side(p, 'B').locator('table.head-grid').count()) === 3,
  );
  await p.page.locator('#heads-score-A').click();
  const m = await p.waitFor(isType('runCommand'), 'runCommand');
  check(
    'compare: "Score Head Importance" asks the host to score that run',
    m.command === 'scoreHeadImportance' && m.runId === run2,
    m,
  );
}

/** Both reports: grids side by side on one scale, both pruning curves on one chart. */
async function twoReports({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  await p.send(withReports(fx.runs, [run1, run2]));
  await p.rendered('two head reports');
  check(
    'compare: 4 and 2 layers of heads per grid, side by side',
    (await side(p, 'A').locator('table.head-grid >> nth=0').locator('tbody tr').count()) === 4 &&
      (await side(p, 'B').locator('table.head-grid >> nth=0').locator('tbody tr').count()) === 2,
  );
  // Run 2's strongest head (gradient 4.7) is full colour; Run 1's (2.3) about half: one scale.
  const top = [
    await strength(p, 'A', 'encoderDecoder:3:3'),
    await strength(p, 'B', 'encoderDecoder:1:3'),
  ];
  check(
    "compare: both runs' grids share one colour scale",
    top[0] === '100%' && top[1] === '49%',
    top,
  );
  const legend = (await p.page.locator('#heads-pruning-chart').textContent()) ?? '';
  check(
    'compare: both pruning curves on one chart, named by run',
    legend.includes('A: Run 2') && legend.includes('B: Run 1'),
    legend,
  );
  await shoot(p, 'compare-heads-light');
}

/** Colour by BLEU drop; the arrow keys move over a grid's cells, one Tab stop per grid. */
async function measureAndKeys({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#heads-measure-bleuDrop').click();
  await p.rendered('colour by BLEU drop');
  const first = side(p, 'B').locator('td[data-head="encoderSelf:0:0"] .head-value');
  check(
    'compare: the grids colour by the measure chosen (BLEU drop)',
    (await first.textContent()) === '-0.020' &&
      (await page.locator('#heads-measure-bleuDrop').getAttribute('aria-pressed')) === 'true',
  );
  const grid = side(p, 'A').locator('table.head-grid >> nth=0');
  check(
    'compare: a head grid is one Tab stop',
    (await grid.locator('td[tabindex="0"]').count()) === 1,
  );
  await grid.locator('td[data-pos="0,0"]').focus();
  const at = () => page.evaluate('document.activeElement.dataset.pos') as Promise<string>;
  const moves: (string | undefined)[] = [];
  for (const key of ['ArrowRight', 'ArrowDown', 'End', 'PageDown', 'Home']) {
    await page.keyboard.press(key);
    moves.push(await at());
  }
  check(
    'compare: arrows, End, PageDown and Home move over the cells',
    moves.join(' ') === '0,1 1,1 1,3 3,3 3,0',
    moves,
  );
  const label = (await page.evaluate("document.activeElement.getAttribute('aria-label')")) as
    string | null;
  check(
    'compare: the focused cell says its layer, head and score',
    /^Layer 4, head 1: BLEU drop /.test(label ?? ''),
    label,
  );
  await page.locator('#heads-measure-gradient').click();
  await p.rendered('colour by gradient');
}

/** "Show as table": every head of both runs in one table, the curves as a table. */
async function headsAsTables({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#heads-show-table').click();
  await p.rendered('heads as tables');
  const headers = await page.locator('table.heads-compare-data thead th').allInnerTexts();
  check(
    "compare: one table of both runs' heads, a row per head, a column per run",
    (await page.locator('table.heads-compare-data tbody tr').count()) === 48 &&
      headers[1]?.startsWith('A: Run 2') &&
      headers[2]?.startsWith('B: Run 1') &&
      (await page.locator('#heads-sides table.head-grid').count()) === 0,
    headers,
  );
  const row = await page.locator('table.heads-compare-data tbody tr >> nth=47').innerText();
  check(
    'compare: a head only Run 2 has reads — for Run 1',
    /cross 4\.4\s+4\.700\s+—/.test(row),
    row,
  );
  check(
    'compare: the pruning curves as a table, a row per number of heads masked',
    (await page.locator('table.pruning-data tbody tr').count()) === 49 &&
      !(await page.locator('#heads-pruning').isVisible()),
  );
  await page.locator('#heads-show-table').click();
  await p.rendered('heads as grids');
  await page.locator('#open-model').click();
  const open = await p.waitFor(isType('runCommand'), 'runCommand');
  check('compare: the toolbar’s Open Model… runs the command', open.command === 'openModel', open);
  await p.send(fx.runs);
  await p.rendered('runs without head reports');
}

/** A run with a model and no held-out BLEU (Run 2): its cell's Score button asks the host. */
async function scoreHeldOut({ check }: FlowContext, p: PanelPage): Promise<void> {
  await p.page.locator(`[data-focus-key="held-out-${run2}"]`).click();
  const m = await p.waitFor(isType('runCommand'), 'runCommand');
  check(
    'compare: Score in a run’s held-out BLEU cell runs Score Held-out BLEU for that run',
    m.command === 'scoreHeldOut' && m.runId === run2,
    m,
  );
}
