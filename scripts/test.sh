#!/usr/bin/env bash
# The project's whole test run (what `npm test` and .ci/run execute) on a clean clone:
# install dependencies if needed, then lint, format check, type check, build, unit + parity tests.
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

step "Webview panels in Chromium with the extension's CSP (browser harness)"
bash scripts/vscode/setup.sh
npx tsx test/webview/harness.ts

step "Integration tests inside a real VS Code (code-server) extension host"
node scripts/build-tests.mjs
node test/vscode/run.mjs

step "End to end: Playwright drives the VS Code workbench in Chromium"
node test/e2e/workbench.e2e.mjs
