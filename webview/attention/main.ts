/**
 * Attention panel: every head of every layer for the three kinds of attention (encoder self,
 * decoder self, encoder–decoder) as small heatmaps sharing one colour scale, for the current
 * translation or for a training snapshot chosen with an epoch slider; PNG / SVG / JSON export;
 * each head's statistics and label, and the encoder's attention rollout (insights.ts).
 *
 * state.ts holds what the panel shows; specs/attentionView.ts derives the view from it; the
 * components (heading, view switch, display options, heatmap sections, exports) draw it.
 */
import { attentionSections } from '../specs/attentionSections';
import type { AttentionSection } from '../specs/attentionSections';
import { DisplayedView, colourDomainMax, displayedView } from '../specs/attentionView';
import { createColorLegend } from '../shared/colorLegend';
import { h, replaceChildren } from '../shared/dom';
import { showExportResult } from '../shared/exportToolbar';
import { emptyState, panelHeader } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { chartTheme } from '../shared/theme';
import { createTranslateForm } from '../shared/translateForm';
import { coalesced, enqueue, post } from '../shared/vscodeApi';
import { createDisplayOptions } from './displayOptions';
import { createAttentionExports } from './exports';
import { createHeading } from './heading';
import * as ex from './explore';
import { createExploring } from './exploring';
import { createHeatmapSections } from './heatmapSections';
import { createInsights } from './insights';
import * as store from './state';
import { state } from './state';
import { createViewSwitch } from './viewSwitch';

// ------------------------------------------------------------------ the parts

const heading = createHeading();
const form = createTranslateForm({
  label: 'English sentence',
  placeholder: 'Type an English sentence to see its attention',
  onSubmit: (sentence) => post({ type: 'translateSentence', sentence }),
  onDraft: (draft) => store.update({ draft }),
});
const showSnapshot = coalesced(async () => {
  store.save();
  await render();
}, 'showing a snapshot');
const viewSwitch = createViewSwitch({
  onMode(mode) {
    if (store.update({ mode })) void enqueue(render, 'switching view');
  },
  onSnapshot(index) {
    store.setSnapshotIndex(index);
    showSnapshot();
  },
});
const legend = createColorLegend('legend');
const options = createDisplayOptions(legend.element, {
  onScale(scale) {
    store.update({ scale });
    void enqueue(render, 'changing the colour scale');
  },
  onPadding(show) {
    store.update({ showPadding: show });
    void enqueue(render, 'showing or hiding padding');
  },
  onTable(show) {
    store.update({ showTable: show });
    void enqueue(render, 'showing the heatmaps as tables or charts');
  },
});
const insights = createInsights();
const exploring = createExploring(exploreChanged);
const sections = createHeatmapSections(
  () => void enqueue(render, 'resizing'),
  exploring.figureTools,
);
sections.element.addEventListener('keydown', exploring.onGridKey);
const exports = createAttentionExports({
  displayed: () => displayedView(state),
  sections,
  legend,
  theme: chartTheme,
});
const controls = h('div', { class: 'controls', id: 'controls' });
const empty = emptyState(
  'Nothing to show yet. Type an English sentence above and press Translate, or choose “Show ' +
    'attention” in the Translations panel; both need a trained model. No model yet? Train ' +
    'one: snapshots of its attention appear here while it learns.',
  {
    id: 'empty',
    actions: [
      {
        id: 'empty-train',
        text: 'Train Transformer',
        onClick: () => post({ type: 'runCommand', command: 'train' }),
      },
    ],
  },
);

function mount(app: HTMLElement): void {
  replaceChildren(
    controls,
    viewSwitch.element,
    exploring.viewSwitch,
    options.element,
    exports.element,
  );
  replaceChildren(
    app,
    panelHeader('Attention', heading.elements),
    form.element,
    controls,
    empty,
    exploring.masked,
    exploring.walkthrough,
    exploring.headView,
    sections.element,
    ...insights.elements,
  );
}

// ------------------------------------------------------------------ rendering

/** What the explore parts were last drawn for. */
let drawn: { d: DisplayedView | null; shown: AttentionSection[] } = { d: null, shown: [] };

/** Only the explore parts (a head switched, an answer came): the heatmaps stay as drawn. */
function renderExplore(): void {
  exploring.render(drawn.d, drawn.shown, sections.element);
}

/** A head switched or an answer came: the explore parts, then the statistics and rollout. */
function exploreChanged(): void {
  renderExplore();
  insights.refresh();
}

async function render(): Promise<void> {
  const d = displayedView(state);
  ex.followTranslation(state.data?.current?.id ?? null);
  const snapshots = state.data?.snapshots ?? [];
  heading.render(d);
  viewSwitch.render({
    showing: d ? (d.view === 'snapshot' ? 'training' : 'current') : null,
    hasCurrent: !!state.data?.current,
    epochs: snapshots.map((s) => s.epoch),
    snapshotIndex: state.snapshotIndex,
  });
  options.render(state.scale, state.showPadding, state.showTable);
  exports.setEnabled(!!d);
  controls.hidden = !state.data || (snapshots.length === 0 && !state.data.current);
  empty.hidden = !!d;
  drawn = { d, shown: [] };
  const theme = chartTheme();
  if (!d) {
    sections.clear();
    legend.clear();
  } else {
    const max = colourDomainMax(state);
    const shown = attentionSections(d.maps, { hidePadding: !state.showPadding });
    drawn = { d, shown };
    await Promise.all([
      sections.render(shown, max, theme, state.showTable),
      legend.render(max, theme),
    ]);
  }
  await insights.render(d, sections.element, theme);
  renderExplore();
  postRendered('attention', sections.count());
}

// ------------------------------------------------------------------ main

startPanel({
  kind: 'attention',
  mount,
  restore() {
    store.restore();
    form.setDraft(state.draft);
    return true; // the empty state is a render too
  },
  render,
  async onMessage(m) {
    switch (m.type) {
      case 'attentionData':
        store.applyData(m, form.answered());
        await render();
        break;
      case 'exportResult':
        showExportResult(m);
        break;
      case 'maskedTranslation':
      case 'headWalkthrough':
        if (exploring.onMessage(m)) exploreChanged();
        break;
      default:
        break; // meant for another panel
    }
  },
  redrawForTheme: () => true,
});
