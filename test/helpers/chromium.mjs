// Debian's Chromium as every browser test starts it: the extension-host drive
// (test/vscode/drive.mjs) and the webview harness (test/webview/browser.ts).

/** The browser: $CHROMIUM (as scripts/vscode/setup.sh reads it), else Debian's. */
export const CHROMIUM = process.env.CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * What the tests add to Playwright's launch. Playwright itself passes --headless, --no-sandbox,
 * --no-first-run, --disable-background-networking, --disable-component-update and
 * --disable-sync (playwright-core's chromiumSwitches and launch options): listing them again
 * would change nothing. No GPU here, no QUIC (every request stays on 127.0.0.1), and no crash
 * reporter writing under the home directory.
 */
export const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--disable-crash-reporter'];
