// Runs the integration suites in a real VS Code, choosing how to get one:
//   default, and VSCODE_TEST_DOWNLOAD=0: offline. scripts/vscode/setup.sh installs code-server
//     (VS Code 1.139.1) from npm, then runExtensionTests.mjs runs the suites in its extension host,
//     in a trusted workspace and then the *.untrusted.test.js suites in an untrusted one.
//   VSCODE_TEST_DOWNLOAD=1: the standard way, @vscode/test-electron downloads VS Code into
//     .cache/vscode-test (needs internet, Node >= 22, and a display: xvfb-run -a on headless Linux).
//   VSCODE_TEST_DOWNLOAD=auto: downloads if update.code.visualstudio.com answers within 5 s.
// Both run out/integration/index.js; build first (npm run test:integration does).
/* global fetch, AbortSignal -- Node 18+ */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshRunDir, repoRoot } from '../../scripts/vscode/codeServer.mjs';
import {
  checkResults,
  defaultTestsPath,
  parseArgs,
  runExtensionTests,
} from './runExtensionTests.mjs';

async function canDownload() {
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', {
      signal: AbortSignal.timeout(5_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The standard path: a downloaded VS Code (Electron), through @vscode/test-electron. Trusted
 * mode only: test-electron always passes --disable-workspace-trust, so the untrusted suites
 * need the offline path.
 */
async function runDownloaded() {
  const { runTests } = await import('@vscode/test-electron');
  const runDir = freshRunDir('extension-tests-download');
  mkdirSync(join(runDir, 'workspace'), { recursive: true });
  const results = join(runDir, 'results.json');
  let code;
  try {
    code = await runTests({
      cachePath: join(repoRoot, '.cache/vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: defaultTestsPath,
      extensionTestsEnv: { TAE_TEST_RESULTS: results },
      launchArgs: [
        join(runDir, 'workspace'),
        '--disable-extensions',
        `--user-data-dir=${join(runDir, 'user-data')}`,
      ],
    });
  } catch (err) {
    console.error('[vscode-tests] @vscode/test-electron:', err?.message ?? err);
    code = 1;
  }
  return checkResults(code, results);
}

/** The offline path: code-server from npm, set up (cached) first. */
async function runOffline() {
  const setup = spawnSync('bash', [join(repoRoot, 'scripts/vscode/setup.sh')], {
    stdio: 'inherit',
  });
  if (setup.status !== 0) {
    console.error('[vscode-tests] ERROR: scripts/vscode/setup.sh failed: the tests did not run');
    return 1;
  }
  const trusted = await runExtensionTests(parseArgs([]));
  if (process.env.TAE_TEST_GREP) {
    // A pattern for some suites would match no untrusted test, and a run of none fails.
    console.log(
      '[vscode-tests] TAE_TEST_GREP is set: the untrusted suites are left out ' +
        '(node test/vscode/runExtensionTests.mjs --untrusted runs them)',
    );
    return trusted;
  }
  const untrusted = await runExtensionTests(parseArgs(['--untrusted']));
  return trusted || untrusted;
}

const mode = process.env.VSCODE_TEST_DOWNLOAD ?? '0';
const download = mode === '1' || (mode === 'auto' && (await canDownload()));
console.log(
  `[vscode-tests] VS Code: ${download ? 'downloaded by @vscode/test-electron' : 'code-server, offline'}`,
);
process.exitCode = download ? await runDownloaded() : await runOffline();
