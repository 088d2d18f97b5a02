/**
 * How every panel starts, in one place. A panel is a state module (what it shows, kept through
 * VS Code's getState/setState), components that draw parts of it, and a main.ts that wires them:
 * it builds the components once (`mount`), takes back the saved state (`restore`), draws
 * everything from the state (`render`) and changes the state on host messages (`onMessage`).
 * Every render runs in one queue (vscodeApi.enqueue), so charts are never embedded twice at once.
 */
import type { HostToWebview, PanelKind } from '../../src/shared/protocol';
import { watchTheme } from './theme';
import { enqueue, installErrorReporting, onHostMessage, post } from './vscodeApi';

export interface PanelSetup {
  kind: PanelKind;
  /** Builds the panel's DOM into #app, once. */
  mount(app: HTMLElement): void;
  /** Takes back what setState kept; true when there is something to draw before the host answers. */
  restore(): boolean;
  /** Draws the whole panel from its state; posts `rendered`. */
  render(): void | Promise<void>;
  onMessage(message: HostToWebview): void | Promise<void>;
  /**
   * Panels with charts: whether a new VS Code theme needs a full render now (their charts take
   * the theme's colours; shared/theme's chartTheme() has it already).
   */
  redrawForTheme?(): boolean;
}

export function startPanel(p: PanelSetup): void {
  installErrorReporting();
  p.mount(document.getElementById('app') ?? document.body);
  if (p.restore()) void enqueue(p.render, `restoring the ${p.kind} panel`);
  onHostMessage(p.onMessage);
  const redraw = p.redrawForTheme;
  if (redraw) {
    watchTheme(() => {
      if (redraw()) void enqueue(p.render, 're-rendering for the new theme');
    });
  }
  post({ type: 'ready', panel: p.kind });
}

/** Tells the host (and the tests) that the panel finished drawing: `charts` are on screen. */
export function postRendered(panel: PanelKind, charts: number): void {
  post({ type: 'rendered', panel, charts });
}
