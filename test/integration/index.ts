/**
 * The integration tests' entry point: VS Code's extension host loads out/integration/index.js
 * (extensionTestsPath) and awaits run(). The suites run inside the real extension host, beside
 * the extension under test, with the real `vscode` API.
 *
 * Adding a suite: create test/integration/<name>.test.ts with mocha's `describe`/`it` (bdd) and
 * `import * as vscode from 'vscode'`. Nothing to register: scripts/build-tests.mjs compiles every
 * .ts here and run() loads every out/integration/*.test.js, in name order. Run them all with
 * `npm run test:integration`; TAE_TEST_GREP=<pattern> runs only the tests whose title matches.
 *
 * The runner (test/vscode/runExtensionTests.mjs) sets TAE_TEST_RESULTS: run() writes mocha's
 * counts and failures there, so the runner can check that tests really ran. It runs twice: in a
 * trusted workspace every suite but the <name>.untrusted.test.ts ones, then (TAE_TEST_TRUST=
 * untrusted) in a workspace VS Code does not trust, only those.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Results {
  passes: number;
  failures: number;
  pending: number;
  tests: number;
  durationMs: number;
  failed: { title: string; error: string }[];
}

export function run(): Promise<void> {
  process.setSourceMapsEnabled(true); // failures point into the .ts suites (inline source maps)
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // the output goes through the workbench's console, not a terminal
    timeout: 5 * 60_000, // training suites set their own, larger timeouts
    grep: process.env.TAE_TEST_GREP || undefined,
  });
  const untrusted = process.env.TAE_TEST_TRUST === 'untrusted';
  const suites = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .filter((name) => name.endsWith('.untrusted.test.js') === untrusted)
    .sort();
  for (const name of suites) mocha.addFile(join(__dirname, name));

  return new Promise((resolve, reject) => {
    const failed: Results['failed'] = [];
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const results: Results = {
        passes: s?.passes ?? 0,
        failures,
        pending: s?.pending ?? 0,
        tests: s?.tests ?? 0,
        durationMs: s?.duration ?? 0,
        failed,
      };
      if (process.env.TAE_TEST_RESULTS) {
        writeFileSync(process.env.TAE_TEST_RESULTS, JSON.stringify(results, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} of ${results.tests} tests failed`));
      else if (results.passes === 0)
        reject(new Error(`no test ran (suites: ${suites.join(', ')})`));
      else resolve();
    });
    runner.on('fail', (test, err) => {
      failed.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
}
