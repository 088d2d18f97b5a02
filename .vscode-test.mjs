// @vscode/test-cli's configuration: `npx vscode-test` is the standard way to run the integration
// suites on a machine with internet access (it downloads VS Code into .vscode-test/; on a
// headless Linux run it under xvfb-run). Build first: npm run build && npm run build:tests.
// Offline (CI, these machines): npm run test:integration, which runs the same compiled suites
// in code-server; or VSCODE_TEST_EXECUTABLE=test/vscode/code-shim.sh npx vscode-test.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/integration/*.test.js',
  mocha: { ui: 'bdd', timeout: 5 * 60_000, color: false },
  launchArgs: ['--disable-extensions'], // only the extension under development
  ...(process.env.VSCODE_TEST_EXECUTABLE && {
    useInstallation: { fromPath: process.env.VSCODE_TEST_EXECUTABLE },
  }),
});
