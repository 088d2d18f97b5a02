/**
 * The e2e's keyboard step (issue 12 item 4: the keyboard path tested in the workbench too, not
 * only in the webview harness): Tab from the export toolbar reaches the first heatmap, an arrow
 * key moves the focus to the next cell and the live region says its query, key and weight once
 * each, Enter pins the focused cell's tip and Escape unpins it. The keys go through VS Code's
 * webview frames, which is what the harness cannot show.
 */

/** Runs the keys in the attention panel's `frame`; returns what the live region said. */
export async function keyboardOnHeatmaps(page, frame) {
  await frame.locator('#export-json').focus();
  await page.keyboard.press('Tab');
  const focused = await frame.evaluate(() => {
    const a = document.activeElement;
    if (!a) return 'none';
    const d = a.dataset;
    return a.matches('figure.heatmap') ? `${d.kind}/${d.layer}/${d.head}` : a.tagName;
  });
  if (focused !== 'encoderSelf/0/0')
    throw new Error(`Tab from the toolbar reached ${focused}, not the first heatmap`);
  await page.keyboard.press('ArrowRight');
  const live = frame.locator('.attention-section[data-kind="encoderSelf"] .heatmap-live');
  const said = await live.innerText();
  if (!/^query 0 \S+, key 1 \S+, weight /.test(said))
    throw new Error(`After ArrowRight the live region says: ${JSON.stringify(said)}`);
  if (!['query', 'key', 'weight'].every((w) => said.split(w).length === 2))
    throw new Error(`Each part should be said once: ${JSON.stringify(said)}`);
  await page.keyboard.press('Enter');
  const tip = frame.locator('.cell-tip.focus:visible');
  await tip.waitFor({ timeout: 10_000 });
  if (!/pinned/.test(await tip.innerText())) throw new Error('Enter did not pin the tip');
  await page.keyboard.press('Escape');
  await frame.locator('.cell-tip.pin:visible').waitFor({ state: 'hidden', timeout: 10_000 });
  return said;
}
