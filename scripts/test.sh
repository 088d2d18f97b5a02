#!/usr/bin/env bash
# The project's whole test run (what `npm test` and .ci/run execute) on a clean clone:
# install dependencies if needed, then lint, format check, type check, build, unit + parity tests,
# the CLI as an npm package, webviews in Chromium, the extension-host suites on the source tree,
# then the .vsix: packaged as `npm run package` does and the end-to-end journey on it, installed.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

# npm ci rewrites node_modules/.package-lock.json, so an older one means stale dependencies.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

if [ ! -f ../shared/data/fra-eng/fra.txt ]; then
  echo "The corpus ../shared/data/fra-eng/fra.txt is missing: the tests read the book's data from ../shared beside the repo." >&2
  exit 1
fi

step "ESLint"
npx eslint .
step "Prettier"
npx prettier --check .
step "TypeScript (tsc --noEmit, host and webviews)"
npx tsc --noEmit -p .
npx tsc --noEmit -p webview
step "Build (esbuild)"
node scripts/build.mjs
step "Unit and parity tests (mocha)"
npm run test:unit
step "The CLI as an npm package: npm pack, install offline, npx (mocha)"
npm run test:packaging

step "Webview panels in Chromium with the extension's CSP (browser harness)"
bash scripts/vscode/setup.sh
npx tsx test/webview/harness.ts

step "Integration tests inside a real VS Code (code-server) extension host"
node scripts/build-tests.mjs
node test/vscode/run.mjs

# Packaged into a folder that does not exist yet, as on a fresh clone. The journey runs once, on
# the installed .vsix (what users get); the extension-host suites above run on the source tree.
step "Package the .vsix (npm run package: no questions, allow-list and size checked)"
vsix=.cache/package/transformer-attention-explorer.vsix
rm -rf .cache/package
node scripts/package.mjs --out "$vsix"

step "End to end: Playwright drives the VS Code workbench, the .vsix installed"
node test/e2e/workbench.e2e.mjs --vsix "$vsix"
