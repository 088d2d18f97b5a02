// Starts and stops code-server (VS Code 1.139.1's server + web workbench + Node extension host)
// as installed by scripts/vscode/setup.sh, bound to 127.0.0.1 only, with every file it writes
// kept under the directories the caller names or under .cache/vscode-offline/.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = resolve(
  process.env.TAE_VSCODE_CACHE || join(repoRoot, '.cache/vscode-offline'),
);
export const node24 = join(cacheDir, 'node24/bin/node');
const entry = join(cacheDir, 'code-server/node_modules/code-server/out/node/entry.js');

/** User settings for a fresh profile: nothing phones home, no welcome page, no AI side bar. */
const quietSettings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function assertInstalled() {
  if (!existsSync(node24) || !existsSync(entry)) {
    throw new Error(
      `code-server is not installed under ${cacheDir}: run bash scripts/vscode/setup.sh`,
    );
  }
}

/** The environment code-server (and so the extension host) runs with. */
function serverEnv(extra) {
  const xdg = join(cacheDir, 'xdg');
  return {
    ...process.env,
    ...extra,
    PATH: `${dirname(node24)}:${process.env.PATH}`,
    EXTENSIONS_GALLERY: '{}', // no marketplace: it would try to reach open-vsx.org
    [ownerVar]: String(process.pid), // see killOrphans
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
  };
}

/** Arguments every invocation shares: its own config file, profile and extensions folder. */
function profileArgs(userDataDir, extensionsDir) {
  return [
    `--config=${join(userDataDir, 'code-server.yaml')}`,
    `--user-data-dir=${userDataDir}`,
    `--extensions-dir=${extensionsDir}`,
  ];
}

/**
 * Kills a process group: SIGTERM, then SIGKILL if anything is left after `graceMs`.
 * Resolves once the group is gone.
 */
async function killGroup(pgid, graceMs = 5000) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(-pgid, 'SIGTERM');
  for (const t0 = Date.now(); alive() && Date.now() - t0 < graceMs;) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (alive()) process.kill(-pgid, 'SIGKILL');
}

/** Names the harness process that started a code-server, in that server's environment. */
const ownerVar = 'TAE_HARNESS_OWNER';

/** Whether a process runs (a zombie, killed but not yet reaped, does not). */
function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Kills the code-servers whose harness process is gone: a run killed with SIGKILL gets no chance
 * to stop its server. Found in /proc by the owner pid in their environment, so concurrent runs
 * (each with its own owner) never touch each other's servers.
 */
function killOrphans() {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let argv, environ, stat;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[1] !== entry) continue;
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const owner = Number(environ.find((v) => v.startsWith(`${ownerVar}=`))?.split('=')[1]);
    const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]); // 5th field
    if (!owner || isAlive(owner) || String(pgid) !== pid) continue; // only group leaders
    try {
      process.kill(-pgid, 'SIGKILL');
      console.warn(
        `[code-server] killed an orphaned code-server (pid ${pid}, owner ${owner} gone)`,
      );
    } catch {
      /* gone meanwhile */
    }
  }
}

/**
 * A fresh folder for this process's run: .cache/vscode-offline/runs/<name>-<pid>. Concurrent
 * runs get their own; folders of finished runs stay (for their logs) until the next run of the
 * same name.
 */
export function freshRunDir(name) {
  const runs = join(cacheDir, 'runs');
  mkdirSync(runs, { recursive: true });
  for (const dir of readdirSync(runs)) {
    const m = new RegExp(`^${name}-(\\d+)$`).exec(dir);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) {
      rmSync(join(runs, dir), { recursive: true, force: true });
    }
  }
  const dir = join(runs, `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts code-server on 127.0.0.1 with a port the OS picks, and resolves once it listens.
 * @param {object} o
 * @param {string} o.userDataDir  profile folder (settings, logs, state); created if missing
 * @param {string} o.workspace    folder the workbench URL will open; created if missing
 * @param {string} [o.extensionsDir]  installed extensions (default: userDataDir/extensions)
 * @param {Record<string, string>} [o.env]  extra environment, seen by the extension host too
 * @param {Record<string, unknown>} [o.settings]  user settings (settings.json) to start with
 * @param {boolean} [o.workspaceTrust]  keep VS Code's workspace trust on (default: off, so every
 *   folder is trusted); the user settings must then enable it too
 * @param {number} [o.startTimeoutMs]
 * @returns {Promise<{ origin: string, host: string, pid: number, log: string,
 *   remoteUri(path: string): string, folderUrl(payload?: [string, string][]): string,
 *   exited: Promise<number | string>, stop(): Promise<void> }>}
 */
export async function startCodeServer({
  userDataDir,
  workspace,
  extensionsDir = join(userDataDir, 'extensions'),
  env = {},
  settings: userSettings,
  workspaceTrust = false,
  startTimeoutMs = 60_000,
}) {
  assertInstalled();
  userDataDir = resolve(userDataDir);
  extensionsDir = resolve(extensionsDir);
  killOrphans();
  for (const d of [join(userDataDir, 'User'), extensionsDir, workspace])
    mkdirSync(d, { recursive: true });
  const settings = join(userDataDir, 'User/settings.json');
  // User settings: quiet defaults, plus what the caller passes (written afresh when given).
  if (userSettings || !existsSync(settings)) {
    writeFileSync(settings, JSON.stringify({ ...quietSettings, ...userSettings }, null, 2));
  }

  const log = join(userDataDir, 'code-server.log');
  const logFd = openSync(log, 'a');
  const args = [
    entry,
    ...profileArgs(userDataDir, extensionsDir),
    '--bind-addr=127.0.0.1:0', // loopback only; port 0: the OS picks a free one
    '--auth=none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--reconnection-grace-time=5', // else extension hosts outlive a closed page for hours
    '--vscode-option=enable-smoke-test-driver', // honour the URL payload (extension tests)
  ];
  // detached: code-server, its extension hosts, pty host and file watchers form one process
  // group of their own, which stop() kills as a whole.
  const child = spawn(node24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', logFd],
    env: serverEnv(env),
  });
  closeSync(logFd);
  const pgid = child.pid;
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(signal ?? code)));
  // Last resort if our process dies without calling stop(): never leave the group behind.
  const onExit = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await killGroup(pgid);
  };

  let origin;
  try {
    origin = await new Promise((resolveStart, rejectStart) => {
      let out = '';
      const timer = setTimeout(
        () =>
          rejectStart(
            new Error(`code-server did not listen within ${startTimeoutMs} ms: see ${log}`),
          ),
        startTimeoutMs,
      );
      child.stdout.on('data', (chunk) => {
        writeFileSync(log, chunk, { flag: 'a' });
        out += chunk;
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveStart(m[1]);
        }
      });
      child.on('error', (e) => rejectStart(e));
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        rejectStart(
          new Error(`code-server exited before listening (${signal ?? code}): see ${log}`),
        );
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const host = new URL(origin).host;
  return {
    origin,
    host,
    pid: pgid,
    log,
    /** A path on this machine as the workbench addresses it (the server is its "remote"). */
    remoteUri: (path) => `vscode-remote://${host}${resolve(path)}`,
    /** The workbench URL for the workspace, with an optional payload (see runExtensionTests). */
    folderUrl: (payload) =>
      `${origin}/?folder=${encodeURIComponent(resolve(workspace))}` +
      (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    /** Resolves with the exit code or signal if code-server ends (crash, or after stop()). */
    exited,
    stop,
  };
}

/**
 * Installs a .vsix into a profile's extensions folder (code-server --install-extension), the
 * way a user would; resolves with code-server's output, rejects if it fails.
 */
export async function installExtension(
  vsix,
  { userDataDir, extensionsDir = join(userDataDir, 'extensions') },
) {
  assertInstalled();
  userDataDir = resolve(userDataDir);
  extensionsDir = resolve(extensionsDir);
  mkdirSync(extensionsDir, { recursive: true });
  const args = [
    entry,
    ...profileArgs(userDataDir, extensionsDir),
    '--install-extension',
    resolve(vsix),
    '--force',
  ];
  const child = spawn(node24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv({}),
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = setTimeout(() => void killGroup(child.pid, 0), 120_000);
  const code = await new Promise((r) => child.on('exit', (c, s) => r(c ?? s)));
  clearTimeout(timer);
  await killGroup(child.pid, 0); // anything it spawned
  if (code !== 0)
    throw new Error(`code-server --install-extension ${vsix} failed (${code}):\n${out}`);
  return out.trim();
}
