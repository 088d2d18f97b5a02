// Runs the integration suites (out/integration/*.test.js, built by scripts/build-tests.mjs)
// inside the Node extension host of a real VS Code, offline: code-server (VS Code 1.139.1,
// installed by scripts/vscode/setup.sh) serves the workbench to a headless Chromium.
//
// How: the web workbench accepts a URL `payload` with extensionDevelopmentPath and
// extensionTestsPath (as vscode-remote:// URIs) when the server runs with the smoke-test
// driver enabled. The extension host then loads the extension under development, awaits the
// tests' run(), and the workbench reports the outcome through window.codeAutomationExit(code),
// which we expose with playwright. Exit code 0 only when the tests ran, and all passed.
//
// Two modes: by default workspace trust is off (every folder trusted) and the index runs every
// *.test.js but the *.untrusted.test.js suites; with --untrusted, workspace trust is on, the
// fresh workspace folder is not trusted (restricted mode, no prompt) and only those run.
//
// Usage: node test/vscode/runExtensionTests.mjs [--untrusted]  (npm run test:integration does
//        the setup and builds first, and runs both modes). Env: TAE_TEST_GREP=<pattern>,
//        TAE_VSCODE_TEST_TIMEOUT_MS (default 20 min), TAE_VSCODE_VERBOSE=1 (all workbench and
//        extension host console output).
// Also accepts the arguments @vscode/test-electron gives a VS Code executable
// (--extensionDevelopmentPath=, --extensionTestsPath=, a folder), see test/vscode/code-shim.sh.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { freshRunDir, repoRoot, startCodeServer } from '../../scripts/vscode/codeServer.mjs';
import { launchBrowser } from './drive.mjs';

const log = (...args) => console.log('[vscode-tests]', ...args);
export const defaultTestsPath = join(repoRoot, 'out/integration/index.js');

/** Options from argv; the defaults run this repository's suites. */
export function parseArgs(argv) {
  const flag = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    extensionDevelopmentPath: resolve(flag('extensionDevelopmentPath') ?? repoRoot),
    extensionTestsPath: resolve(flag('extensionTestsPath') ?? defaultTestsPath),
    workspace: argv.find((a) => !a.startsWith('-')),
    untrusted: argv.includes('--untrusted'),
  };
}

/**
 * User settings of the untrusted mode: trust on, and no startup prompt or banner (a modal dialog
 * would wait for a click), so the folder opens in restricted mode as a cloned repository would.
 */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** Fails early, and says what to run, when something the run needs was not built. */
function checkBuilt({ extensionDevelopmentPath, extensionTestsPath }) {
  const pkg = JSON.parse(readFileSync(join(extensionDevelopmentPath, 'package.json'), 'utf8'));
  const main = join(extensionDevelopmentPath, pkg.main ?? 'extension.js');
  const missing = [main.endsWith('.js') ? main : `${main}.js`, extensionTestsPath].filter(
    (f) => !existsSync(f),
  );
  if (missing.length) {
    throw new Error(
      `not built: ${missing.join(', ')} (run: npm run build && node scripts/build-tests.mjs)`,
    );
  }
}

/**
 * The workbench forwards its own and the extension host's console here: mocha's report, the
 * tests' logs and errors. Its routine chatter (connecting, resolving, the gallery being off) and
 * the "Canceled" errors it logs while stopping the extension host at the end are left out.
 */
function isTestOutput(type, line) {
  if (process.env.TAE_VSCODE_VERBOSE === '1') return true;
  if (/^Canceled: Canceled/.test(line)) return false;
  return type === 'error' || !/^(Resolv|Creat|Updat|Ignor|\[)/.test(line);
}

/** Runs the suites; resolves with the process exit code (0 only if tests ran and all passed). */
export async function runExtensionTests(options) {
  const runDir = freshRunDir(options.untrusted ? 'extension-tests-untrusted' : 'extension-tests');
  const results = join(runDir, 'results.json');
  const workspace = resolve(options.workspace ?? join(runDir, 'workspace'));
  const timeoutMs = Number(process.env.TAE_VSCODE_TEST_TIMEOUT_MS || 20 * 60_000);

  let server;
  let browser;
  let stopping;
  const stopAll = () =>
    (stopping ??= (async () => {
      await browser?.close().catch(() => {});
      await server?.stop();
    })());
  const onSignal = (signal) => {
    log(`${signal}: stopping code-server and Chromium`);
    void stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const t0 = Date.now();
  let exitCode;
  try {
    checkBuilt(options);
    server = await startCodeServer({
      userDataDir: join(runDir, 'user-data'),
      workspace,
      env: { TAE_TEST_RESULTS: results, TAE_TEST_TRUST: options.untrusted ? 'untrusted' : '' },
      ...(options.untrusted ? { workspaceTrust: true, settings: UNTRUSTED_SETTINGS } : {}),
    });
    log(`code-server ${server.origin} (pid ${server.pid}), log ${server.log}`);
    browser = await launchBrowser(join(runDir, 'chromium'));
    const page = browser.pages()[0] ?? (await browser.newPage());

    // Whichever comes first: the workbench's verdict, a crash, or the time limit.
    let settle;
    const outcome = new Promise((r) => (settle = r));
    let finished = false;
    await page.exposeFunction('codeAutomationExit', (code) => {
      finished = true;
      settle({ code });
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (finished) return;
      const line = format(...(args ?? []));
      if (isTestOutput(type, line)) console.log(line);
    });
    page.on('crash', () => settle({ error: 'the workbench page crashed' }));
    void server.exited.then((c) => settle({ error: `code-server exited (${c}) during the tests` }));
    setTimeout(() => settle({ error: `no result after ${timeoutMs / 1000} s` }), timeoutMs).unref();

    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)],
      ['extensionTestsPath', server.remoteUri(options.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ];
    log(
      `tests ${options.extensionTestsPath}, extension ${options.extensionDevelopmentPath}` +
        (options.untrusted ? ', untrusted workspace' : ''),
    );
    await page.goto(server.folderUrl(payload), { waitUntil: 'domcontentloaded' });
    const { code, error } = await outcome;
    if (error) throw new Error(error);
    log(
      `extension host finished with exit code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const ownIndex = options.extensionTestsPath === defaultTestsPath;
    exitCode = checkResults(code, results, { ownIndex });
  } catch (err) {
    console.error('[vscode-tests] ERROR:', err?.message ?? err);
    if (server) console.error(`[vscode-tests] code-server log: ${server.log}`);
    exitCode = 1;
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode;
}

/**
 * Trusts a pass only if the test index wrote its counts and they agree: a run that never
 * loaded the suites must not look green. Another test index (@vscode/test-cli's, through
 * code-shim.sh) writes no counts: then its exit code is all there is, and it must be 0.
 */
export function checkResults(code, resultsFile, { ownIndex = true } = {}) {
  if (!existsSync(resultsFile)) {
    if (!ownIndex) {
      log(
        `${code === 0 ? 'passed' : 'FAILED'} (exit code ${code}; that test runner reports no counts)`,
      );
      return code === 0 ? 0 : 1;
    }
    log(`FAILED: the tests wrote no results (${resultsFile}): they did not run`);
    return 1;
  }
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  log(`${r.passes} passing, ${r.failures} failing, ${r.pending} pending (${r.tests} tests)`);
  for (const f of r.failed) log(`failed: ${f.title}: ${f.error.split('\n')[0]}`);
  if (code === 0 && r.failures === 0 && r.passes > 0) return 0;
  log('FAILED');
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runExtensionTests(parseArgs(process.argv.slice(2)));
}
