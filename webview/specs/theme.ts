/**
 * Chart colours and fonts taken from VS Code's theme variables (`--vscode-*`), and the Vega-Lite
 * `config` built from them. Pure: the webview passes a `getVar` that reads computed styles, the
 * tests pass a table.
 */
import type { Config } from 'vega-lite/build/index';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** Sequential Vega schemes the heatmaps may use. */
export type HeatScheme = 'blues' | 'viridis' | 'greys' | 'inferno' | 'magma' | 'purples' | 'teals';

export interface ChartTheme {
  kind: ThemeKind;
  foreground: string;
  /** Secondary text: axis titles, captions. */
  mutedForeground: string;
  /** The editor background; also the chart background so exported images look like the panel. */
  background: string;
  gridColor: string;
  /** Axis lines and ticks. */
  domainColor: string;
  fontFamily: string;
  /** For tokens: the editor's monospace font. */
  monoFontFamily: string;
  fontSize: number;
  /** Line and point colour of the loss curve. */
  accent: string;
  /** Fill of masked (null) attention cells. */
  maskedFill: string;
  maskedOpacity: number;
  /** Vega colour scheme of attention weights: low weights blend into the background. */
  heatScheme: HeatScheme;
  /** Gap between heatmap cells (the background colour). */
  cellStroke: string;
}

/** VS Code's body classes → theme kind (high contrast light also carries `vscode-high-contrast`). */
export function themeKindFromClasses(classes: readonly string[]): ThemeKind {
  if (classes.includes('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.includes('vscode-high-contrast')) return 'high-contrast';
  if (classes.includes('vscode-dark')) return 'dark';
  return 'light';
}

const FALLBACKS: Record<ThemeKind, { fg: string; bg: string; muted: string; accent: string }> = {
  light: { fg: '#3b3b3b', bg: '#ffffff', muted: '#717171', accent: '#1a85ff' },
  dark: { fg: '#cccccc', bg: '#1f1f1f', muted: '#9d9d9d', accent: '#3794ff' },
  'high-contrast': { fg: '#ffffff', bg: '#000000', muted: '#ffffff', accent: '#3794ff' },
  'high-contrast-light': { fg: '#292929', bg: '#ffffff', muted: '#292929', accent: '#0f4a85' },
};

const HEAT_SCHEMES: Record<ThemeKind, HeatScheme> = {
  light: 'blues',
  dark: 'viridis',
  'high-contrast': 'viridis',
  'high-contrast-light': 'greys',
};

/** `13px` → 13; anything unparsable → `fallback`. */
export function parsePixels(value: string, fallback: number): number {
  const n = Number.parseFloat(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * Builds the theme from CSS variables. `getVar(name)` returns the variable's value (`''` when
 * unset), e.g. `getComputedStyle(document.documentElement).getPropertyValue(name)`.
 */
export function chartThemeFrom(getVar: (name: string) => string, kind: ThemeKind): ChartTheme {
  const fb = FALLBACKS[kind];
  const v = (name: string, fallback: string): string => getVar(name).trim() || fallback;
  const foreground = v('--vscode-editor-foreground', v('--vscode-foreground', fb.fg));
  const background = v('--vscode-editor-background', fb.bg);
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  return {
    kind,
    foreground,
    mutedForeground: v('--vscode-descriptionForeground', fb.muted),
    background,
    gridColor: v('--vscode-editorWidget-border', v('--vscode-panel-border', fb.muted)),
    domainColor: highContrast ? foreground : v('--vscode-descriptionForeground', fb.muted),
    fontFamily: v('--vscode-font-family', 'system-ui, sans-serif'),
    monoFontFamily: v('--vscode-editor-font-family', 'monospace'),
    fontSize: parsePixels(getVar('--vscode-font-size'), 13),
    accent: v('--vscode-charts-blue', fb.accent),
    maskedFill: highContrast ? foreground : v('--vscode-descriptionForeground', fb.muted),
    maskedOpacity: highContrast ? 0.25 : 0.12,
    heatScheme: HEAT_SCHEMES[kind],
    cellStroke: background,
  };
}

/** Vega-Lite `config`: fonts, text and guide colours, background, no view outline. */
export function vegaLiteConfig(theme: ChartTheme): Config {
  const small = Math.max(9, theme.fontSize - 2);
  return {
    background: theme.background,
    font: theme.fontFamily,
    padding: 4,
    view: { stroke: null },
    axis: {
      labelColor: theme.foreground,
      titleColor: theme.mutedForeground,
      domainColor: theme.domainColor,
      tickColor: theme.domainColor,
      gridColor: theme.gridColor,
      gridOpacity: 0.5,
      labelFontSize: small,
      titleFontSize: small,
      titleFontWeight: 'normal',
    },
    legend: {
      labelColor: theme.foreground,
      titleColor: theme.mutedForeground,
      labelFontSize: small,
      titleFontSize: small,
    },
    title: { color: theme.foreground, fontSize: theme.fontSize, fontWeight: 'normal' },
  };
}
