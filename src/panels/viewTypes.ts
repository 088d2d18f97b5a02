/** The panels' webview view types and titles (vscode-free: the extension and tests import them). */
import type { PanelKind } from '../shared/protocol';

export const TRAINING_VIEW_TYPE = 'transformerExplorer.training';
export const TRANSLATION_VIEW_TYPE = 'transformerExplorer.translation';
export const ATTENTION_VIEW_TYPE = 'transformerExplorer.attention';
export const COMPARE_VIEW_TYPE = 'transformerExplorer.compareRuns';
export const HEADS_VIEW_TYPE = 'transformerExplorer.heads';

export const VIEW_TYPES: Readonly<Record<PanelKind, string>> = {
  training: TRAINING_VIEW_TYPE,
  translation: TRANSLATION_VIEW_TYPE,
  attention: ATTENTION_VIEW_TYPE,
  compare: COMPARE_VIEW_TYPE,
  heads: HEADS_VIEW_TYPE,
};

export const PANEL_TITLES: Readonly<Record<PanelKind, string>> = {
  training: 'Transformer: Training',
  translation: 'Transformer: Translations',
  attention: 'Transformer: Attention',
  compare: 'Transformer: Compare Runs',
  heads: 'Transformer: Heads',
};

/** The shared sheets of every panel (media/styles/: page and layout, controls). */
const BASE_STYLES = ['styles/base.css', 'styles/controls.css'];
/** The charts' containers, heatmap grids and tooltip, for the panels that draw charts. */
const CHART_STYLES = [...BASE_STYLES, 'styles/charts.css'];

/**
 * The bundle and stylesheets each panel loads, relative to the extension's media/ folder: the
 * shared sheets, then the panel's own.
 */
export const PANEL_ASSETS: Readonly<Record<PanelKind, { script: string; styles: string[] }>> = {
  training: { script: 'dist/training.js', styles: [...CHART_STYLES, 'styles/training.css'] },
  translation: {
    script: 'dist/translation.js',
    styles: [...BASE_STYLES, 'styles/translation.css'],
  },
  // compare.css for the sort buttons of the per-head statistics (as the Heads panel).
  attention: {
    script: 'dist/attention.js',
    styles: [...CHART_STYLES, 'styles/compare.css', 'styles/attention.css'],
  },
  // heads.css for the head-importance grids of two runs (webview/shared/headGrids.ts).
  compare: {
    script: 'dist/compare.js',
    styles: [...CHART_STYLES, 'styles/compare.css', 'styles/heads.css'],
  },
  // compare.css for its sort buttons (the Heads table sorts like the runs table).
  heads: {
    script: 'dist/heads.js',
    styles: [...CHART_STYLES, 'styles/compare.css', 'styles/heads.css'],
  },
};
