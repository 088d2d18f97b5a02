/**
 * What every panel's flow (test/webview/flows/) is given: open a panel's page in a theme, take a
 * screenshot, record a named check, the host messages to send, and where to put timings.
 */
import type { PanelKind } from '../../src/shared/protocol';
import type { Fixtures } from './fixtures';
import type { PanelPage } from './panelPage';
import { HarnessTheme, THEMES } from './themes';

export interface FlowContext {
  /** Opens a fresh page of the panel (its own browser context) and waits for `ready`. */
  open(kind: PanelKind, theme: HarnessTheme): Promise<PanelPage>;
  /** A full-page screenshot into .cache/screenshots/<name>.png (unless --no-screenshots). */
  shoot(p: PanelPage, name: string): Promise<void>;
  /** Records a check: its name is what the harness prints and the mocha test counts. */
  check(name: string, ok: boolean, detail?: unknown): void;
  fx: Fixtures;
  /** Milliseconds (and counts) worth printing at the end. */
  timings: Record<string, number>;
}

/** One named part of a flow: what it does to the page and what it checks. */
export type Step = (ctx: FlowContext, p: PanelPage) => Promise<void>;

/** Opens the panel in the light theme and runs the steps on it, in order. */
export async function runSteps(ctx: FlowContext, kind: PanelKind, steps: Step[]): Promise<void> {
  const p = await ctx.open(kind, THEMES.light);
  for (const step of steps) await step(ctx, p);
}
