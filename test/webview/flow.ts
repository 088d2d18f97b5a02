/**
 * What every panel's flow (test/webview/flows/) is given: open a panel's page in a theme, take a
 * screenshot, record a named check, the host messages to send, and where to put timings.
 */
import type { PanelKind } from '../../src/shared/protocol';
import type { Fixtures } from './fixtures';
import type { PanelPage } from './panelPage';
import type { HarnessTheme } from './themes';

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
