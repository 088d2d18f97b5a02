/**
 * One panel's page under test: what it posted (through the acquireVsCodeApi stand-in), sending
 * host messages, waiting for the page's answers, reloading it, and what went wrong in it
 * (page errors, console errors, CSP violations).
 */
import type { Page } from 'playwright-core';
import type { HostToWebview, PanelKind, WebviewToHost } from '../../src/shared/protocol';

interface ConsoleEntry {
  type: string;
  text: string;
}

export class PanelPage {
  readonly consoleEntries: ConsoleEntry[] = [];
  readonly pageErrors: string[] = [];
  /** Console errors the test provoked on purpose (matched and removed before the final check). */
  readonly expectedErrors: RegExp[] = [];
  private seen = 0;

  constructor(
    readonly kind: PanelKind,
    readonly page: Page,
  ) {
    page.on('console', (m) => this.consoleEntries.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => this.pageErrors.push(String(e)));
  }

  async posted(): Promise<WebviewToHost[]> {
    return (await this.page.evaluate('window.__harness.posted')) as WebviewToHost[];
  }

  /** Posts a host message; later waitFor calls look only at what the page posts after it. */
  async send(message: HostToWebview | Record<string, unknown>): Promise<void> {
    this.seen = (await this.posted()).length;
    await this.page.evaluate(
      (m) =>
        (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(m, '*'),
      message,
    );
  }

  /** Waits for a posted message after the last one waited for (or after `from`). */
  async waitFor<T extends WebviewToHost>(
    predicate: (m: WebviewToHost) => m is T,
    what: string,
    timeoutMs = 20_000,
  ): Promise<T> {
    const start = Date.now();
    for (;;) {
      const all = await this.posted();
      for (let i = this.seen; i < all.length; i++) {
        if (predicate(all[i])) {
          this.seen = i + 1;
          return all[i] as T;
        }
      }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await sleep(15);
    }
  }

  /** The chart count of the next `rendered`; with `expected`, waits for one with that count. */
  async rendered(what = 'rendered', expected?: number, timeoutMs?: number): Promise<number> {
    const m = await this.waitFor(
      (x): x is Extract<WebviewToHost, { type: 'rendered' }> =>
        x.type === 'rendered' &&
        x.panel === this.kind &&
        (expected === undefined || x.charts === expected),
      `${this.kind}: ${what}${expected === undefined ? '' : ` (${expected} charts)`}`,
      timeoutMs,
    );
    return m.charts;
  }

  /** Forgets what the page posted so far: later waits look only at what it posts after now. */
  async skipPosted(): Promise<void> {
    this.seen = (await this.posted()).length;
  }

  /**
   * The chart count once the page has finished rendering: a `rendered`, then none more for
   * `quietMs`. A change such as a new theme can render a panel twice (the theme's full render and
   * a relayout its ResizeObserver queues), and the first `rendered` may come before the charts
   * of the second are drawn.
   */
  async renderedSettled(what: string, quietMs = 400): Promise<number> {
    let charts = await this.rendered(what);
    for (;;) {
      const next = await this.rendered(what, undefined, quietMs).catch(() => null);
      if (next === null) return charts;
      charts = next;
    }
  }

  /** Reloads the page (what a hidden and re-shown panel does); its posted list starts over. */
  async reload(): Promise<void> {
    await this.page.reload();
    this.seen = 0;
  }

  async cspViolations(): Promise<unknown[]> {
    return (await this.page.evaluate('window.__csp')) as unknown[];
  }

  /** Console errors and warnings that were not expected, CSP reports included. */
  unexpectedConsole(): ConsoleEntry[] {
    return this.consoleEntries.filter(
      (e) =>
        (e.type === 'error' || e.type === 'warning' || /Content.Security.Policy/i.test(e.text)) &&
        !this.expectedErrors.some((re) => re.test(e.text)),
    );
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A predicate for waitFor: messages of one type. */
export const isType =
  <K extends WebviewToHost['type']>(type: K) =>
  (m: WebviewToHost): m is Extract<WebviewToHost, { type: K }> =>
    m.type === type;
