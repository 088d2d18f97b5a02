/** The panels' webview view types and titles (vscode-free: the extension and tests import them). */
import type { PanelKind } from '../shared/protocol';

export const TRAINING_VIEW_TYPE = 'transformerExplorer.training';
export const TRANSLATION_VIEW_TYPE = 'transformerExplorer.translation';
export const ATTENTION_VIEW_TYPE = 'transformerExplorer.attention';
export const COMPARE_VIEW_TYPE = 'transformerExplorer.compareRuns';

export const VIEW_TYPES: Readonly<Record<PanelKind, string>> = {
  training: TRAINING_VIEW_TYPE,
  translation: TRANSLATION_VIEW_TYPE,
  attention: ATTENTION_VIEW_TYPE,
  compare: COMPARE_VIEW_TYPE,
};

export const PANEL_TITLES: Readonly<Record<PanelKind, string>> = {
  training: 'Transformer: Training',
  translation: 'Transformer: Translations',
  attention: 'Transformer: Attention',
  compare: 'Transformer: Compare Runs',
};

/** The bundle and stylesheets each panel loads, relative to the extension's media/ folder. */
export const PANEL_ASSETS: Readonly<Record<PanelKind, { script: string; styles: string[] }>> = {
  training: { script: 'dist/training.js', styles: ['panel.css', 'tooltip.css'] },
  translation: { script: 'dist/translation.js', styles: ['panel.css'] },
  attention: { script: 'dist/attention.js', styles: ['panel.css', 'tooltip.css'] },
  compare: { script: 'dist/compare.js', styles: ['panel.css', 'tooltip.css'] },
};
