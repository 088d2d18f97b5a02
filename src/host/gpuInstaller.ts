import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  describeRequirements,
  GPU_PACKAGE_VERSION,
  gpuRequirements,
  missingLibrary,
} from '../backend/gpuHelp';

export const GPU_PACKAGE = `@tensorflow/tfjs-node-gpu@${GPU_PACKAGE_VERSION}`;

/**
 * Before Install GPU Backend: what it needs (read from an installed copy's install constants,
 * else the pinned version's) and that it is optional, in a modal dialog. True: go ahead.
 */
export async function confirmGpuInstall(targetDir: string): Promise<boolean> {
  const installed = path.join(targetDir, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
  const needs = describeRequirements(gpuRequirements(installed));
  const supported = process.arch === 'x64' && ['linux', 'win32'].includes(process.platform);
  const detail =
    `${needs} It is optional: without it, training runs on WebAssembly.` +
    (supported
      ? ''
      : ` This machine is ${process.platform} ${process.arch}: it will not load here.`);
  const choice = await vscode.window.showWarningMessage(
    'Install the GPU backend?',
    { modal: true, detail },
    'Install',
  );
  return choice === 'Install';
}

/**
 * Install GPU Backend: a .vsix carries only what was installed where it was packaged, so
 * tfjs-node-gpu (a native addon that downloads libtensorflow) is installed on demand into global
 * storage with npm. It goes into a staging folder, is checked by loading it in a separate Node
 * process, and only then replaces the previous install: a failure leaves nothing half-installed
 * for the training worker to load.
 */
export async function installGpuBackend(
  targetDir: string,
  log: vscode.LogOutputChannel,
): Promise<boolean> {
  const staging = `${targetDir}.staging-${Date.now()}`;
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Installing the GPU backend',
      cancellable: true,
    },
    async (progress, token) => {
      try {
        await installInStaging(staging, progress, log, token);
        await fs.rm(targetDir, { recursive: true, force: true });
        await fs.rename(staging, targetDir);
        log.info(`GPU backend installed in ${targetDir}`);
        void vscode.window.showInformationMessage(
          'GPU backend installed. Training with transformer.backend "auto" or "gpu" will use it.',
        );
        return true;
      } catch (err) {
        await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
        reportInstallFailure(err as Error, token.isCancellationRequested, log);
        return false;
      }
    },
  );
}

/** npm-installs tfjs-node-gpu into `staging`, then loads it in a separate Node process. */
async function installInStaging(
  staging: string,
  progress: vscode.Progress<{ message?: string }>,
  log: vscode.LogOutputChannel,
  token: vscode.CancellationToken,
): Promise<void> {
  await fs.mkdir(staging, { recursive: true });
  await fs.writeFile(
    path.join(staging, 'package.json'),
    JSON.stringify({ private: true, allowScripts: { '@tensorflow/tfjs-node-gpu': true } }),
  );
  progress.report({ message: `npm install ${GPU_PACKAGE} (downloads libtensorflow)…` });
  await run(
    npmCommand(),
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--omit=dev',
      '--allow-scripts=@tensorflow/tfjs-node-gpu',
      GPU_PACKAGE,
    ],
    staging,
    log,
    token,
  );
  progress.report({ message: 'Checking that it loads…' });
  await run(
    process.execPath,
    [
      '-e',
      `require(require.resolve('@tensorflow/tfjs-node-gpu', { paths: [${JSON.stringify(staging)}] }))`,
    ],
    staging,
    log,
    token,
    { ELECTRON_RUN_AS_NODE: '1' },
  );
}

/** Logs a failed install; unless the user cancelled it, says so with a way to the log. */
function reportInstallFailure(err: Error, cancelled: boolean, log: vscode.LogOutputChannel): void {
  const message = cancelled ? 'cancelled' : failureText(err.message);
  log.error(`GPU backend install failed: ${message}`);
  if (!cancelled) {
    void vscode.window
      .showErrorMessage(
        `Could not install the GPU backend: ${message}. Training keeps using the CPU backends.`,
        'Show Log',
      )
      .then((choice) => choice === 'Show Log' && log.show());
  }
}

/** A failed load names the library it could not find, not the stack trace around it. */
function failureText(message: string): string {
  const library = missingLibrary(message);
  if (!library) {
    const lines = message.split('\n').filter(Boolean);
    return lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : message;
  }
  const req = gpuRequirements();
  return `it installed but does not load: ${library} is missing (it needs CUDA ${req.cuda} and cuDNN ${req.cudnn})`;
}

function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

function run(
  command: string,
  args: string[],
  cwd: string,
  log: vscode.LogOutputChannel,
  token: vscode.CancellationToken,
  env: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    log.info(`$ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      shell: process.platform === 'win32',
    });
    const cancel = token.onCancellationRequested(() => child.kill());
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/).filter(Boolean)) {
        log.info(line);
        tail.push(line);
        if (tail.length > 5) tail.shift();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => {
      cancel.dispose();
      reject(new Error(`${command} could not start: ${err.message}`));
    });
    child.on('close', (code) => {
      cancel.dispose();
      if (code === 0) resolve();
      else
        reject(
          new Error(`${path.basename(command)} exited with code ${code}:\n${tail.join('\n')}`),
        );
    });
  });
}
