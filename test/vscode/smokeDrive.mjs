// Smoke drive of the UI: opens the workbench with the extension, runs "Transformer: Show
// Training Panel" from the palette, waits for the training webview to show text and saves
// .cache/screenshots/training-panel.png. Fails on CSP violations, console errors in the webview,
// uncaught errors in the page or requests leaving the machine. Build first (npm run build).
// Usage: node test/vscode/smokeDrive.mjs [--vsix FILE]
//   default: the extension is loaded from this source tree (extensionDevelopmentPath payload);
//   --vsix FILE: it is installed from a package the way users get it (npm run package:vsix).
import { join, resolve } from 'node:path';
import {
  freshRunDir,
  installExtension,
  repoRoot,
  startCodeServer,
} from '../../scripts/vscode/codeServer.mjs';
import {
  launchBrowser,
  openWorkbench,
  runCommand,
  screenshot,
  waitForTab,
  waitForWebviewText,
} from './drive.mjs';

const log = (...args) => console.log('[smoke-drive]', ...args);
const vsixArg = process.argv.indexOf('--vsix');
const vsix = vsixArg > 0 ? resolve(process.argv[vsixArg + 1]) : undefined;
const runDir = freshRunDir('smoke-drive');
const userDataDir = join(runDir, 'user-data');

let server;
let browser;
const stopAll = async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}

let ok = false;
let page;
try {
  if (vsix) log(await installExtension(vsix, { userDataDir }));
  server = await startCodeServer({ userDataDir, workspace: join(runDir, 'workspace') });
  log(`code-server ${server.origin}, log ${server.log}`);
  browser = await launchBrowser(join(runDir, 'chromium'));
  const payload = vsix ? undefined : [['extensionDevelopmentPath', server.remoteUri(repoRoot)]];
  const opened = await openWorkbench(browser, server.folderUrl(payload));
  page = opened.page;
  log('workbench rendered');

  const attempts = await runCommand(page, 'Transformer: Show Training Panel');
  log(`ran "Transformer: Show Training Panel" (palette attempt ${attempts})`);
  await waitForTab(page, 'Transformer: Training');
  const text = await waitForWebviewText(page);
  log(`webview text: ${JSON.stringify(text.slice(0, 300))}`);
  await page.waitForTimeout(1_500); // let the charts finish drawing before the picture
  log(`screenshot: ${await screenshot(page, vsix ? 'training-panel-vsix' : 'training-panel')}`);

  const { consoleErrors, cspViolations, pageErrors, nonLocalRequests } = opened.problems;
  const webviewErrors = consoleErrors.filter((e) => e.fromWebview);
  for (const e of consoleErrors) {
    log(
      `console error${e.fromWebview ? ' in the webview' : ' (workbench, not fatal)'}: ${e.text.slice(0, 300)}`,
    );
  }
  for (const e of cspViolations) log(`CSP violation: ${e.text.slice(0, 300)}`);
  for (const e of pageErrors) log(`uncaught: ${e.slice(0, 300)}`);
  for (const u of nonLocalRequests) log(`non-loopback request: ${u}`);
  ok = [webviewErrors, cspViolations, pageErrors, nonLocalRequests].every(
    (list) => list.length === 0,
  );
  log(ok ? 'OK' : 'FAILED: see above');
} catch (err) {
  console.error('[smoke-drive] FAILED:', err?.message ?? err);
  if (page)
    console.error(
      `[smoke-drive] screenshot: ${await screenshot(page, 'smoke-drive-failure').catch(() => '-')}`,
    );
} finally {
  await stopAll();
}
process.exitCode = ok ? 0 : 1;
