/**
 * Attention panel: every head of every layer for the three kinds of attention (encoder self,
 * decoder self, encoder–decoder) as small heatmaps sharing one colour scale, for the current
 * translation or for a training snapshot chosen with an epoch slider; PNG / SVG / JSON export.
 *
 * One small Vega-Lite chart per (kind, layer, head), each in its own
 * <figure class="heatmap" data-kind data-layer data-head>: simple to count and address, each has
 * its own View (a snapshot swaps data in place with view.data()), and the harness measured it
 * as fast as one faceted spec per kind (see test/webview/harness.ts).
 */
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import type { AttentionDataMessage } from '../../src/shared/protocol';
import { MAX_SENTENCE_CHARS } from '../../src/shared/validate';
import { AttentionSection, attentionSections } from '../specs/attentionSections';
import {
  colorLegendSpec,
  HEATMAP_CELLS,
  HEATMAP_MASKED,
  matrixValues,
  maxWeight,
  splitMasked,
} from '../specs/heatmap';
import { ChartTheme } from '../specs/theme';
import { composeSvg } from '../shared/compose';
import { h, maskedKey, replaceChildren, unknownNote, withUnkMarked } from '../shared/dom';
import { formatBleu, slug } from '../shared/format';
import { layerHeadGrid } from '../shared/layerHeadGrid';
import { Chart, renderChart } from '../shared/render';
import { currentTheme, watchTheme } from '../shared/theme';
import {
  enqueue,
  getState,
  installErrorReporting,
  onHostMessage,
  post,
  setState,
} from '../shared/vscodeApi';

type Mode = 'current' | 'training';
type ScaleMode = 'max' | 'one';

interface SavedState {
  data: AttentionDataMessage | null;
  mode: Mode;
  snapshotIndex: number;
  scale: ScaleMode;
  showPadding: boolean;
  draft: string;
}

interface Heatmap {
  section: AttentionSection;
  layer: number;
  head: number;
  chart: Chart;
}

interface Displayed {
  maps: AttentionMaps;
  title: string;
  subtitle: string;
  fileBase: string;
  view: 'current' | 'snapshot';
  epoch?: number;
}

const CHART_PADDING = 4; // config.padding of the specs
const ROW_HEADER_PX = 64;

let data: AttentionDataMessage | null = null;
let mode: Mode = 'current';
let snapshotIndex = 0;
let scale: ScaleMode = 'max';
let showPadding = true;
let theme: ChartTheme = currentTheme();
let heatmaps: Heatmap[] = [];
let legend: Chart | null = null;
let shownKey: string | null = null;
let pendingTranslate = false;

// ------------------------------------------------------------------ skeleton

const sentenceLine = h('p', { class: 'sentence-line', id: 'sentence-line' });
const noteSlot = h('div', { id: 'note' });
const input = h('input', {
  type: 'text',
  id: 'sentence',
  class: 'text-input',
  placeholder: 'Type an English sentence to see its attention',
  maxlength: MAX_SENTENCE_CHARS,
  autocomplete: 'off',
  spellcheck: 'false',
});
const formStatus = h('span', { class: 'muted form-status', role: 'status', id: 'form-status' });
const currentButton = h(
  'button',
  { type: 'button', class: 'segment', id: 'mode-current', 'aria-pressed': 'true' },
  'Current translation',
);
const trainingButton = h(
  'button',
  { type: 'button', class: 'segment', id: 'mode-training', 'aria-pressed': 'false' },
  'During training',
);
const slider = h('input', {
  type: 'range',
  id: 'epoch-slider',
  min: 0,
  max: 0,
  step: 1,
  value: 0,
  'aria-describedby': 'snapshot-position',
});
const epochOutput = h('output', { id: 'epoch-output', for: 'epoch-slider' }, '–');
const snapshotPosition = h('span', { class: 'muted', id: 'snapshot-position' });
const snapshotControls = h(
  'div',
  { class: 'snapshot-controls', id: 'snapshot-controls', hidden: true },
  h('label', { for: 'epoch-slider' }, 'Epoch ', epochOutput),
  slider,
  snapshotPosition,
);
const scaleSelect = h(
  'select',
  { id: 'scale', class: 'select' },
  h('option', { value: 'max' }, '0 – largest weight'),
  h('option', { value: 'one' }, '0 – 1'),
);
const paddingBox = h('input', { type: 'checkbox', id: 'show-padding', checked: true });
const legendEl = h('div', { class: 'legend-chart', id: 'legend' });
const exportButtons = {
  png: h('button', { type: 'button', class: 'secondary', id: 'export-png' }, 'PNG'),
  svg: h('button', { type: 'button', class: 'secondary', id: 'export-svg' }, 'SVG'),
  json: h('button', { type: 'button', class: 'secondary', id: 'export-json' }, 'JSON'),
};
const exportStatus = h('span', { class: 'export-status', role: 'status', id: 'export-status' });
const controls = h('div', { class: 'controls', id: 'controls' });
const sectionsEl = h('div', { class: 'sections', id: 'sections' });
const emptyEl = h(
  'p',
  { class: 'empty', id: 'empty' },
  'Nothing to show yet. Translate a sentence (above, or "Show attention" in the Translations ' +
    'panel), or train a model: snapshots of attention during training appear here.',
);

function buildSkeleton(): void {
  const app = document.getElementById('app') ?? document.body;
  const form = h(
    'form',
    { class: 'translate-form', id: 'translate-form' },
    h('label', { for: 'sentence', class: 'visually-hidden' }, 'English sentence'),
    input,
    h('button', { type: 'submit', id: 'translate' }, 'Translate'),
    formStatus,
  );
  replaceChildren(
    controls,
    h(
      'div',
      { class: 'toolbar' },
      h(
        'div',
        { class: 'segmented', role: 'group', 'aria-label': 'Attention to show' },
        currentButton,
        trainingButton,
      ),
      snapshotControls,
    ),
    h(
      'div',
      { class: 'toolbar' },
      legendEl,
      maskedKey('padding, or a later step'),
      h('label', { for: 'scale', class: 'inline-label' }, 'Colour scale '),
      scaleSelect,
      h(
        'label',
        { for: 'show-padding', class: 'checkbox-label' },
        paddingBox,
        ' Show <pad> positions',
      ),
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: 'inline-label' }, 'Export all maps:'),
      exportButtons.png,
      exportButtons.svg,
      exportButtons.json,
      exportStatus,
    ),
  );
  replaceChildren(
    app,
    h('header', { class: 'panel-header' }, h('h1', {}, 'Attention'), sentenceLine, noteSlot),
    form,
    controls,
    emptyEl,
    sectionsEl,
  );

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const sentence = input.value.trim();
    if (!sentence) {
      formStatus.textContent = 'Type a sentence first.';
      return;
    }
    pendingTranslate = true;
    formStatus.textContent = 'Translating…';
    post({ type: 'translateSentence', sentence });
  });
  input.addEventListener('input', save);
  currentButton.addEventListener('click', () => setMode('current'));
  trainingButton.addEventListener('click', () => setMode('training'));
  let sliderTask = false;
  slider.addEventListener('input', () => {
    snapshotIndex = Number(slider.value);
    updateSnapshotLabel();
    if (sliderTask) return; // the queued render will pick up the latest index
    sliderTask = true;
    void enqueue(async () => {
      sliderTask = false;
      save();
      await renderView();
    }, 'showing a snapshot');
  });
  paddingBox.addEventListener('change', () => {
    showPadding = paddingBox.checked;
    save();
    void enqueue(renderView, 'showing or hiding padding');
  });
  scaleSelect.addEventListener('change', () => {
    scale = scaleSelect.value === 'one' ? 'one' : 'max';
    save();
    void enqueue(renderView, 'changing the colour scale');
  });
  exportButtons.png.addEventListener('click', () => runExport('PNG', exportPng));
  exportButtons.svg.addEventListener('click', () => runExport('SVG', exportSvg));
  exportButtons.json.addEventListener('click', () => runExport('JSON', exportJson));
  let lastCell = 0;
  new ResizeObserver(() => {
    const d = displayed();
    if (!d) return;
    const cell = cellSize(sectionsOf(d.maps));
    if (cell !== lastCell && heatmaps.length) void enqueue(renderView, 'resizing');
    lastCell = cell;
  }).observe(sectionsEl);
}

function save(): void {
  setState<SavedState>({ data, mode, snapshotIndex, scale, showPadding, draft: input.value });
}

function setMode(m: Mode): void {
  if (m === mode) return;
  mode = m;
  save();
  void enqueue(renderView, 'switching view');
}

// ------------------------------------------------------------------ what is shown

function sectionsOf(maps: AttentionMaps): AttentionSection[] {
  return attentionSections(maps, { hidePadding: !showPadding });
}

function tokensText(tokens: readonly string[]): string {
  return tokens.join(' ');
}

function displayed(): Displayed | null {
  if (!data) return null;
  if (mode === 'training' && data.snapshots.length > 0) {
    const i = Math.min(Math.max(0, snapshotIndex), data.snapshots.length - 1);
    const snap = data.snapshots[i];
    const src = snap.maps.sourceTokens.slice(0, snap.maps.sourceValidLen);
    const tgt = snap.maps.targetInputTokens;
    return {
      maps: snap.maps,
      title: `During training: epoch ${snap.epoch}`,
      subtitle: `Probe pair, teacher-forced: ${tokensText(src)} → ${tokensText(tgt.slice(1))}`,
      fileBase: `attention-epoch-${snap.epoch}`,
      view: 'snapshot',
      epoch: snap.epoch,
    };
  }
  if (data.current) {
    const c = data.current;
    return {
      maps: c.attention,
      title: `${c.source} → ${c.translation}`,
      subtitle:
        c.reference !== undefined
          ? `Reference: ${c.reference} · BLEU ${formatBleu(c.bleu)}`
          : 'Greedy decoding',
      fileBase: `attention-${slug(c.source)}`,
      view: 'current',
    };
  }
  return null;
}

/** Upper end of the colour scale: 1, or the largest weight (rounded up to 0.05) over what the
 * view can show (every snapshot in training mode, so the slider keeps one scale). */
function domainMax(): number {
  if (scale === 'one' || !data) return 1;
  const maps =
    mode === 'training' && data.snapshots.length
      ? data.snapshots.map((s) => s.maps)
      : data.current
        ? [data.current.attention]
        : [];
  const max = maxWeight(maps.flatMap((m) => [m.encoderSelf, m.decoderSelf, m.encoderDecoder]));
  return max > 0 ? Math.min(1, Math.ceil(max * 20) / 20) : 1;
}

/** Rough width of the widest y-axis label (monospace, `9 <pad>`) in pixels. */
function labelWidth(labels: readonly string[]): number {
  const chars = Math.max(0, ...labels.map((t, i) => `${i} ${t}`.length));
  return Math.ceil(chars * Math.max(9, theme.fontSize - 2) * 0.62) + 8;
}

/** Pixels per cell so that every section's row of heads fits the panel (10 to 22 px). */
function cellSize(sections: readonly AttentionSection[]): number {
  const avail = (sectionsEl.clientWidth || document.body.clientWidth || 800) - 8;
  let cell = 22;
  for (const s of sections) {
    const cols = s.heads * Math.max(1, s.keys.length);
    const fixed = ROW_HEADER_PX + labelWidth(s.queries) + s.heads * (2 * CHART_PADDING + 14);
    cell = Math.min(cell, Math.floor((avail - fixed) / cols));
  }
  return Math.max(10, cell);
}

function updateSnapshotLabel(): void {
  const snaps = data?.snapshots ?? [];
  const i = Math.min(snapshotIndex, snaps.length - 1);
  const epoch = snaps[i]?.epoch;
  epochOutput.textContent = epoch === undefined ? '–' : String(epoch);
  slider.setAttribute('aria-valuetext', epoch === undefined ? 'no snapshot' : `epoch ${epoch}`);
  snapshotPosition.textContent = snaps.length ? `snapshot ${i + 1} of ${snaps.length}` : '';
}

function renderControls(d: Displayed | null): void {
  const snaps = data?.snapshots ?? [];
  const hasCurrent = !!data?.current;
  currentButton.disabled = !hasCurrent;
  trainingButton.disabled = snaps.length === 0;
  const showing: Mode | null = d ? (d.view === 'snapshot' ? 'training' : 'current') : null;
  currentButton.setAttribute('aria-pressed', String(showing === 'current'));
  trainingButton.setAttribute('aria-pressed', String(showing === 'training'));
  snapshotControls.hidden = showing !== 'training';
  slider.max = String(Math.max(0, snaps.length - 1));
  slider.value = String(Math.min(snapshotIndex, Math.max(0, snaps.length - 1)));
  updateSnapshotLabel();
  scaleSelect.value = scale;
  paddingBox.checked = showPadding;
  for (const b of Object.values(exportButtons)) b.disabled = !d;
  controls.hidden = !data || (snaps.length === 0 && !hasCurrent);

  if (!d) {
    replaceChildren(sentenceLine);
    replaceChildren(noteSlot);
    return;
  }
  replaceChildren(
    sentenceLine,
    d.view === 'current' && data?.current
      ? [
          h('span', { class: 'source' }, data.current.source),
          h('span', { class: 'arrow', 'aria-label': 'translates to' }, ' → '),
          h('span', { class: 'target', lang: 'fr' }, withUnkMarked(data.current.translation)),
          h('span', { class: 'muted' }, ` · ${d.subtitle}`),
        ]
      : [h('span', {}, d.title), h('span', { class: 'muted' }, ` · ${d.subtitle}`)],
  );
  replaceChildren(
    noteSlot,
    d.view === 'current' && data?.current ? unknownNote(data.current.unknownTokens) : null,
  );
}

// ------------------------------------------------------------------ rendering

function finalizeAll(): void {
  for (const m of heatmaps) m.chart.finalize();
  heatmaps = [];
  legend?.finalize();
  legend = null;
  shownKey = null;
}

function shapeKey(maps: AttentionMaps, max: number, cell: number): string {
  return JSON.stringify([
    maps.sourceTokens,
    maps.targetInputTokens,
    showPadding,
    sectionsOf(maps).map((s) => [s.layers, s.heads]),
    max,
    cell,
    theme,
  ]);
}

async function renderView(): Promise<void> {
  const d = displayed();
  renderControls(d);
  emptyEl.hidden = !!d;
  if (!d) {
    finalizeAll();
    replaceChildren(sectionsEl);
    post({ type: 'rendered', panel: 'attention', charts: 0 });
    return;
  }
  const sections = sectionsOf(d.maps);
  const max = domainMax();
  const cell = cellSize(sections);
  const key = shapeKey(d.maps, max, cell);
  if (key === shownKey && heatmaps.length) {
    await updateInPlace(d.maps);
  } else {
    await renderAllCharts(sections, max, cell);
    shownKey = key;
  }
  sectionsEl.dataset.view = d.view;
  post({ type: 'rendered', panel: 'attention', charts: heatmaps.length });
}

/** Same tokens and shapes (e.g. another snapshot of the probe pair): swap the data only. */
async function updateInPlace(maps: AttentionMaps): Promise<void> {
  const byKind = new Map(sectionsOf(maps).map((s) => [s.kind, s]));
  await Promise.all(
    heatmaps.map((m) => {
      const s = byKind.get(m.section.kind)!;
      const { cells, masked } = splitMasked(
        matrixValues(s.grid[m.layer][m.head], s.queries, s.keys),
      );
      m.section = s;
      return m.chart.view.data(HEATMAP_CELLS, cells).data(HEATMAP_MASKED, masked).runAsync();
    }),
  );
}

async function renderAllCharts(
  sections: AttentionSection[],
  max: number,
  cell: number,
): Promise<void> {
  finalizeAll();
  const jobs: Promise<void>[] = [];
  const next: Heatmap[] = [];
  const sectionEls = sections.map((s) => {
    const { grid, cells } = layerHeadGrid(s, {
      rowHeaderPx: ROW_HEADER_PX,
      chartPadding: CHART_PADDING,
      cell,
      domainMax: max,
      theme,
    });
    for (const { layer, head, chartEl, spec } of cells) {
      jobs.push(
        renderChart(chartEl, spec).then((chart) => {
          next.push({ section: s, layer, head, chart });
        }),
      );
    }
    return h(
      'section',
      { class: 'attention-section', 'data-kind': s.kind, 'aria-label': s.title },
      h('h2', {}, s.title, h('span', { class: 'muted count' }, ` ${s.layers} × ${s.heads} heads`)),
      h('p', { class: 'caption muted' }, s.caption),
      h('div', { class: 'grid-scroll' }, grid),
    );
  });
  replaceChildren(sectionsEl, sectionEls);
  const legendJob = renderChart(legendEl, colorLegendSpec({ theme, domainMax: max })).then((c) => {
    legend = c;
  });
  await Promise.all([...jobs, legendJob]);
  const order = (m: Heatmap): number =>
    sections.findIndex((s) => s.kind === m.section.kind) * 1e6 + m.layer * 1e3 + m.head;
  heatmaps = next.sort((a, b) => order(a) - order(b));
}

// ------------------------------------------------------------------ export

async function composedSvg(): Promise<{ svg: string; d: Displayed }> {
  const d = displayed();
  if (!d || heatmaps.length === 0) throw new Error('nothing to export');
  const sections = sectionsOf(d.maps);
  const cell = cellSize(sections);
  const svgs = await Promise.all(heatmaps.map((m) => m.chart.view.toSVG()));
  const legendSvg = legend ? await legend.view.toSVG() : undefined;
  const svg = composeSvg({
    title: d.title,
    subtitle: d.subtitle,
    legendSvg,
    legendNote: 'pale cells: masked (padding, or a later step)',
    sections: sections.map((s) => ({
      title: s.title,
      caption: s.caption,
      rows: s.layers,
      cols: s.heads,
      plotWidth: s.keys.length * cell,
      plotHeight: s.queries.length * cell,
      charts: heatmaps
        .map((m, i) => ({ m, svg: svgs[i] }))
        .filter(({ m }) => m.section.kind === s.kind)
        .map(({ m, svg: chartSvg }) => ({ row: m.layer, col: m.head, svg: chartSvg })),
    })),
    background: theme.background,
    foreground: theme.foreground,
    muted: theme.mutedForeground,
    fontFamily: theme.fontFamily,
    fontSize: theme.fontSize,
  });
  return { svg, d };
}

/** Runs an export in the queue (after any render), showing progress and failures inline. */
function runExport(format: string, task: () => Promise<void>): void {
  void enqueue(async () => {
    showExportStatus(`Preparing ${format}…`, 'busy');
    try {
      await task();
    } catch (err) {
      showExportStatus(
        `${format} export failed: ${err instanceof Error ? err.message : err}`,
        'error',
      );
      throw err;
    }
  }, `${format} export`);
}

function showExportStatus(text: string, kind: 'busy' | 'ok' | 'error' | 'muted'): void {
  exportStatus.className = `export-status ${kind}`;
  exportStatus.textContent = text;
}

async function exportSvg(): Promise<void> {
  const { svg, d } = await composedSvg();
  post({ type: 'export', format: 'svg', suggestedName: `${d.fileBase}.svg`, content: svg });
}

async function exportPng(): Promise<void> {
  const { svg, d } = await composedSvg();
  const scaleFactor = 2;
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(img.naturalWidth * scaleFactor);
  canvas.height = Math.ceil(img.naturalHeight * scaleFactor);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const url = canvas.toDataURL('image/png');
  post({ type: 'export', format: 'png', suggestedName: `${d.fileBase}.png`, content: url });
}

async function exportJson(): Promise<void> {
  const d = displayed();
  if (!d) throw new Error('nothing to export');
  const c = d.view === 'current' ? data?.current : undefined;
  const payload = {
    view: d.view,
    ...(d.epoch !== undefined ? { epoch: d.epoch } : {}),
    ...(c
      ? {
          source: c.source,
          translation: c.translation,
          reference: c.reference,
          bleu: c.bleu,
          unknownTokens: c.unknownTokens,
        }
      : {}),
    maps: d.maps,
  };
  post({
    type: 'export',
    format: 'json',
    suggestedName: `${d.fileBase}.json`,
    content: `${JSON.stringify(payload, null, 2)}\n`,
  });
}

// ------------------------------------------------------------------ messages

function onData(m: AttentionDataMessage): void {
  const before = data;
  const oldCount = before?.snapshots.length ?? 0;
  const followLatest = oldCount === 0 || snapshotIndex >= oldCount - 1;
  data = m;
  if (followLatest) snapshotIndex = Math.max(0, m.snapshots.length - 1);
  snapshotIndex = Math.min(snapshotIndex, Math.max(0, m.snapshots.length - 1));
  const newCurrent = m.current && m.current.id !== before?.current?.id;
  if (newCurrent || pendingTranslate) mode = 'current';
  if (!m.current && m.snapshots.length) mode = 'training';
  if (pendingTranslate) {
    pendingTranslate = false;
    formStatus.textContent = '';
  }
  save();
}

function main(): void {
  installErrorReporting();
  buildSkeleton();
  const saved = getState<SavedState>();
  if (saved) {
    data = saved.data ?? null;
    mode = saved.mode ?? 'current';
    snapshotIndex = saved.snapshotIndex ?? 0;
    scale = saved.scale ?? 'max';
    showPadding = saved.showPadding ?? true;
    input.value = saved.draft ?? '';
  }
  void enqueue(renderView, 'first render');
  onHostMessage(async (m) => {
    switch (m.type) {
      case 'attentionData':
        onData(m);
        await renderView();
        break;
      case 'exportResult':
        showExportStatus(m.message, m.ok ? 'ok' : /cancel/i.test(m.message) ? 'muted' : 'error');
        break;
      default:
        break; // meant for another panel
    }
  });
  watchTheme((t) => {
    theme = t;
    void enqueue(renderView, 're-rendering for the new theme');
  });
  post({ type: 'ready', panel: 'attention' });
}

main();
