#!/bin/sh
# Stands in for a VS Code executable: @vscode/test-electron's runTests({ vscodeExecutablePath })
# and @vscode/test-cli (VSCODE_TEST_EXECUTABLE, see .vscode-test.mjs) launch this with VS Code's
# test arguments, and the tests run offline in code-server instead (runExtensionTests.mjs).
here=$(dirname "$(readlink -f "$0")")
exec node "$here/runExtensionTests.mjs" "$@"
