/** Where the Compare Runs flows look in the page (webview/compare/'s ids and data attributes). */
import type { Page } from 'playwright-core';

/** Equal as JSON (lists of ids and labels). */
export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The run ids of the table's rows, top to bottom. */
export function rowIds(page: Page): Promise<(string | null)[]> {
  return page
    .locator('#runs-table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id')));
}

/** The run names in the loss chart's legend, top to bottom. */
export function legendLabels(page: Page): Promise<string[]> {
  return page.locator('#curves-chart g.role-legend-label text').allTextContents();
}

/** The runs of the seed table's columns, left to right. */
export function seedRuns(page: Page): Promise<(string | null)[]> {
  return page
    .locator('#seeds-table thead th[data-run-id]')
    .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run-id')));
}

/** A column's cells in the runs table. */
export const column = (page: Page, key: string) =>
  page.locator(`#runs-table tbody td[data-column="${key}"]`);

/** A column's header (its sort button inside). */
export const header = (page: Page, key: string) =>
  page.locator(`#runs-table thead th[data-column="${key}"]`);

export const makeCurrentButton = (page: Page, runId: string) =>
  page.locator(`tr[data-run-id="${runId}"] button.make-current`);

export const runCheck = (page: Page, runId: string) =>
  page.locator(`input.run-check[data-run-id="${runId}"]`);

/** One side's heatmaps of one kind in the attention comparison. */
export const sideMaps = (page: Page, side: number, kind: string) =>
  page.locator(`figure.heatmap[data-side="${side}"][data-kind="${kind}"]`);

/** Whether the two sides reach the layout `mode` within 10 s (the width may settle late). */
export function layoutBecomes(page: Page, mode: string): Promise<boolean> {
  return page
    .locator(`#compare-sides[data-layout="${mode}"]`)
    .waitFor({ timeout: 10_000 })
    .then(
      () => true,
      () => false,
    );
}
