/**
 * The browser harness as a mocha test (not in .mocharc.json's default specs: it needs Chromium).
 *   npx mocha test/webview/panels.webview.test.ts
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { CHROMIUM, runHarness } from './harness';

describe('webview panels in Chromium (test/webview/harness.ts)', function () {
  this.timeout(240_000);

  it('render, stream, hover, sort, compare, export and switch themes with no errors or CSP violations', async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    const lines: string[] = [];
    const result = await runHarness({ log: (l) => lines.push(l) });
    assert.deepEqual(result.failures, [], lines.join('\n'));
    assert.ok(result.passed.length >= 100, `only ${result.passed.length} checks ran`);
    const compare = result.passed.filter((name) => name.startsWith('compare:'));
    assert.ok(compare.length >= 40, `only ${compare.length} Compare Runs checks ran`);
  });
});
