/**
 * The attention panel (webview/attention/): the empty state and its Train button, 24 heatmaps
 * of a real model's maps (cells, masked cells, axis labels, tooltips), the keyboard over the
 * cells and the tables (attentionKeys.flow.ts), the snapshots during training by keyboard on
 * the epoch slider (updated in place), the composed PNG / SVG and the JSON export, the display
 * options (padding, colour scale), a bad host message, the form, themes with both high
 * contrasts, reduced motion, a 400 px panel, and 4 layers.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parseWebviewMessage } from '../../../src/shared/validate';
import { SCREENSHOT_DIR, setTheme } from '../browser';
import { highContrastChecks } from '../a11y';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage, sleep } from '../panelPage';
import { THEMES } from '../themes';
import { keyboardAndTables, motionAndWidth } from './attentionKeys.flow';

/** The heatmap of encoder self-attention, layer 1, head 1. */
const firstMap = (page: Page) =>
  page.locator('figure.heatmap[data-kind="encoderSelf"][data-layer="0"][data-head="0"]');

const epochShown = (page: Page) => page.locator('#epoch-output').textContent();

export const attentionFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'attention', [
    emptyThenHeatmaps,
    heatmapCells,
    tooltips,
    ...keyboardAndTables,
    snapshots,
    imageExports,
    jsonExport,
    displayOptions,
    badMessageAndForm,
    themes,
    highContrastChecks(true),
    ...motionAndWidth,
    fourLayers,
  ]);

/** Nothing yet: an empty state; then the current translation's 24 heatmaps. */
async function emptyThenHeatmaps(ctx: FlowContext, p: PanelPage): Promise<void> {
  const { check, shoot, fx, timings } = ctx;
  const { page } = p;
  await p.rendered('empty', 0);
  check('attention: empty state explains what to do', await page.locator('#empty').isVisible());
  await shoot(p, 'attention-empty-light');
  await page.locator('#empty-train').click();
  const run = await p.waitFor(isType('runCommand'), 'runCommand');
  check('attention: the empty state’s button runs Train Transformer', run.command === 'train', run);
  const t0 = Date.now();
  await p.send(fx.attention);
  const charts = await p.rendered('24 heatmaps');
  timings.render24HeatmapsMs = Date.now() - t0;
  const figures = page.locator('#sections figure.heatmap');
  check('attention: rendered reports 24 charts', charts === 24, charts);
  check('attention: 24 heatmap figures', (await figures.count()) === 24, await figures.count());
  for (const kind of ['encoderSelf', 'decoderSelf', 'encoderDecoder']) {
    const n = await page.locator(`figure.heatmap[data-kind="${kind}"] svg`).count();
    check(`attention: ${kind} has 2 layers × 4 heads`, n === 8, n);
  }
}

/** One rect per (query, key), masked ones in their own layer, position-prefixed labels. */
async function heatmapCells({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const maps = fx.attention.current!.attention;
  const first = firstMap(page);
  const cellCount = await first.locator('g.mark-rect path').count();
  check('attention: one rect per (query, key) incl. masked', cellCount === 100, cellCount);
  const masked = await first.locator('g.mark-rect.layer_0_marks path').count();
  const expectedMasked = maps.encoderSelf[0][0].flat().filter((w) => w === null).length;
  check('attention: masked cells drawn separately', masked === expectedMasked, {
    masked,
    expectedMasked,
  });
  const yLabels = (await first.locator('g.role-axis-label text').allTextContents()).join('|');
  check(
    'attention: axis labels prefixed by position',
    yLabels.includes(`0 ${maps.sourceTokens[0]}`) &&
      yLabels.includes(`${maps.sourceValidLen - 1} <eos>`),
    yLabels,
  );
  const dec = page.locator(
    'figure.heatmap[data-kind="encoderDecoder"][data-layer="1"][data-head="3"]',
  );
  const xLabels = (await dec.locator('g.role-axis-label text').allTextContents()).join('|');
  check(
    'attention: enc–dec keys are source tokens',
    xLabels.includes(`0 ${maps.sourceTokens[0]}`),
    xLabels,
  );
}

/** Tooltips: a weight cell, then a masked cell. */
async function tooltips({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const first = firstMap(page);
  const tip = page.locator('#vg-tooltip-element.visible');
  await first.locator('g.mark-rect.layer_1_marks path').nth(1).hover();
  await tip.waitFor({ timeout: 5000 });
  const tipText = (await tip.innerText()).replace(/\s+/g, ' ');
  check(
    'attention: tooltip shows query, key and weight (3 decimals)',
    /query/.test(tipText) && /key/.test(tipText) && /weight \d\.\d{3}\b/.test(tipText),
    tipText,
  );
  const grid = fx.attention.current!.attention.encoderSelf[0][0];
  if (grid.flat().some((w) => w === null)) {
    await first.locator('g.mark-rect.layer_0_marks path').first().hover();
    await sleep(100);
    const maskedTip = (await tip.innerText()).replace(/\s+/g, ' ');
    check('attention: masked cell tooltip says masked', /weight masked/.test(maskedTip), maskedTip);
  }
  await page.mouse.move(1, 1);
  await shoot(p, 'attention-light');
}

/** "During training": the probe pair's snapshots, epoch slider by keyboard, views updated in place. */
async function snapshots({ check, shoot, timings }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#mode-training').click();
  check('attention: snapshot view renders 24', (await p.rendered('snapshots')) === 24);
  check('attention: slider label shows the latest epoch', (await epochShown(page)) === '50');
  await page.evaluate(
    `document.querySelectorAll('#sections figure.heatmap svg').forEach((s) => s.setAttribute('data-harness', 'v1'))`,
  );
  const t0 = Date.now();
  await page.locator('#epoch-slider').focus();
  await page.keyboard.press('ArrowLeft');
  await p.rendered('previous snapshot');
  timings.snapshotSwitchMs = Date.now() - t0;
  check('attention: ArrowLeft on the slider shows epoch 40', (await epochShown(page)) === '40');
  check(
    'attention: snapshot switch updates the views in place',
    (await page.locator('#sections figure.heatmap svg[data-harness="v1"]').count()) === 24,
  );
  await page.keyboard.press('Home');
  await p.rendered('first snapshot');
  check('attention: Home goes to epoch 1', (await epochShown(page)) === '1');
  await shoot(p, 'attention-snapshot-epoch1-light');
  await page.keyboard.press('End');
  await p.rendered('last snapshot');
  await shoot(p, 'attention-snapshot-light');
}

/** Export: the composed PNG and SVG of everything shown. */
async function imageExports({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#export-png').click();
  const png = await p.waitFor(isType('export'), 'PNG export', 30_000);
  const pngOk = parseWebviewMessage(png).ok && png.format === 'png';
  const bytes = Buffer.from(png.content.replace(/^data:image\/png;base64,/, ''), 'base64');
  const signature = bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  check('attention: PNG export is a valid PNG data URL', pngOk && signature && width > 500, {
    name: png.suggestedName,
    width,
    height,
  });
  writeFileSync(path.join(SCREENSHOT_DIR, 'export-attention.png'), bytes);
  await page.locator('#export-svg').click();
  const svg = await p.waitFor(isType('export'), 'SVG export');
  const nested = (svg.content.match(/<svg x="/g) ?? []).length;
  const parses = await page.evaluate(
    (s) =>
      !new (
        globalThis as unknown as {
          DOMParser: new () => {
            parseFromString(s: string, t: string): { querySelector(q: string): unknown };
          };
        }
      ).DOMParser()
        .parseFromString(s, 'image/svg+xml')
        .querySelector('parsererror'),
    svg.content,
  );
  check(
    'attention: SVG export is well-formed with 24 heatmaps + legend',
    parseWebviewMessage(svg).ok && parses && nested === 25,
    { nested, parses },
  );
  writeFileSync(path.join(SCREENSHOT_DIR, 'export-attention.svg'), svg.content);
}

/** Export: the JSON of the data shown, and the host's answer beside the buttons. */
async function jsonExport({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#export-json').click();
  const json = await p.waitFor(isType('export'), 'JSON export');
  let parsed: { view?: string; epoch?: number; maps?: { encoderSelf: unknown[][] } } = {};
  try {
    parsed = JSON.parse(json.content);
  } catch {
    // reported below
  }
  check(
    'attention: JSON export holds the shown snapshot',
    parsed.view === 'snapshot' &&
      parsed.epoch === 50 &&
      parsed.maps?.encoderSelf.length === 2 &&
      parsed.maps.encoderSelf[0].length === 4 &&
      json.suggestedName === 'attention-epoch-50.json',
    { view: parsed.view, epoch: parsed.epoch, name: json.suggestedName },
  );
  await p.send({ type: 'exportResult', ok: true, message: 'Saved /tmp/attention-epoch-50.json' });
  await page.waitForFunction(
    `document.querySelector('#export-status').textContent.includes('Saved')`,
  );
  check('attention: exportResult shown', true);
}

/** Hide the <pad> positions (the encoder maps shrink to the real tokens); the colour scale. */
async function displayOptions({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#mode-current').click();
  await p.rendered('current again');
  await page.locator('#show-padding').uncheck();
  check('attention: hiding padding keeps 24 heatmaps', (await p.rendered('no padding')) === 24);
  const valid = fx.attention.current!.attention.sourceValidLen;
  const trimmed = await firstMap(page).locator('g.mark-rect path').count();
  check('attention: without padding the encoder map is valid × valid', trimmed === valid * valid, {
    trimmed,
    valid,
  });
  await shoot(p, 'attention-nopad-light');
  await page.locator('#show-padding').check();
  await p.rendered('padding again');

  await page.locator('#scale').selectOption('one');
  check('attention: colour scale 0–1 re-renders 24', (await p.rendered('scale')) === 24);
  await page.locator('#scale').selectOption('max');
  await p.rendered('scale back');
}

/** An invalid host message is dropped and reported, nothing breaks; the form posts. */
async function badMessageAndForm({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  p.expectedErrors.push(/ignored an invalid message/);
  await p.send({ type: 'attentionData', current: null });
  const err = await p.waitFor(isType('webviewError'), 'webviewError');
  check(
    'attention: invalid host message reported as webviewError',
    /snapshots/.test(err.message),
    err,
  );
  await page.locator('#sentence').fill('I won!');
  await page.locator('#sentence').press('Enter');
  const tr = await p.waitFor(isType('translateSentence'), 'translateSentence');
  check('attention: typed sentence posted', tr.sentence === 'I won!');
}

async function themes({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await setTheme(page, THEMES.dark);
  check('attention: re-renders for dark theme', (await p.rendered('dark')) === 24);
  await shoot(p, 'attention-dark');
  await page.locator('#mode-training').click();
  await p.rendered('snapshots dark');
  await shoot(p, 'attention-snapshot-dark');
  await setTheme(page, THEMES['high-contrast']);
  await p.rendered('hc');
  await shoot(p, 'attention-hc');
  await setTheme(page, THEMES.light);
  await p.rendered('light again');
}

/** A 4-layer model: 48 heatmaps. */
async function fourLayers({ check, fx, shoot, timings }: FlowContext, p: PanelPage): Promise<void> {
  const t0 = Date.now();
  await p.send(fx.attention4);
  const n4 = await p.rendered('48 heatmaps', 48);
  timings.render48HeatmapsMs = Date.now() - t0;
  const figures = await p.page.locator('#sections figure.heatmap').count();
  check('attention: 4 layers → 48 heatmaps', n4 === 48 && figures === 48, n4);
  await shoot(p, 'attention-4layers-light');
  timings.attentionRenders = (await p.posted()).filter((m) => m.type === 'rendered').length;
}
