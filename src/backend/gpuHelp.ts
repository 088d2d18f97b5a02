/**
 * What people are told about the optional GPU backend (@tensorflow/tfjs-node-gpu): why it did not
 * load, in plain words; and, before it is installed, what it needs. No vscode import: the
 * training worker, the CLI and the Install GPU Backend command all use it, and it is unit-tested.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The version package.json pins (optionalDependencies) and Install GPU Backend installs. */
export const GPU_PACKAGE_VERSION = '4.22.0';

export interface GpuRequirements {
  /** libtensorflow the package's install script downloads (its LIBTENSORFLOW_VERSION). */
  libtensorflow: string;
  /** Where a GPU build exists, from the package's ALL_SUPPORTED_COMBINATION: "Linux x64". */
  platforms: string[];
  cuda: string;
  cudnn: string;
  /** 'package': read from the installed package's scripts; 'documented': the pinned version's. */
  source: 'package' | 'documented';
}

/**
 * CUDA and cuDNN each libtensorflow line was built against (TensorFlow's "tested build
 * configurations"; tfjs-node's README names 11.2 / 8.1 for libtensorflow 2.9). The package itself
 * names only libtensorflow, so its CUDA/cuDNN come from here.
 */
const CUDA_FOR_LIBTENSORFLOW: Readonly<Record<string, { cuda: string; cudnn: string }>> = {
  '2.7': { cuda: '11.2', cudnn: '8.1' },
  '2.8': { cuda: '11.2', cudnn: '8.1' },
  '2.9': { cuda: '11.2', cudnn: '8.1' },
  '2.10': { cuda: '11.2', cudnn: '8.1' },
  '2.11': { cuda: '11.2', cudnn: '8.1' },
};

/** What the pinned 4.22.0 declares (scripts/deps-constants.js of its npm tarball, read with
 * `npm pack @tensorflow/tfjs-node-gpu@4.22.0`): libtensorflow 2.9.1, GPU builds for Linux and
 * Windows x86_64. */
const DOCUMENTED = { libtensorflow: '2.9.1', platforms: ['Linux x64', 'Windows x64'] };

const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  linux: 'Linux',
  windows: 'Windows',
  darwin: 'macOS',
};
const ARCH_NAMES: Readonly<Record<string, string>> = { x86_64: 'x64', arm64: 'arm64' };

/**
 * The requirements of the tfjs-node-gpu in `packageDir` (its scripts/deps-constants.js), or of
 * the pinned version when it is not installed there (or its constants cannot be read).
 */
export function gpuRequirements(packageDir?: string): GpuRequirements {
  const read = packageDir ? readConstants(packageDir) : null;
  const { libtensorflow, platforms } = read ?? DOCUMENTED;
  const majorMinor = libtensorflow.split('.').slice(0, 2).join('.');
  const cuda = CUDA_FOR_LIBTENSORFLOW[majorMinor] ?? { cuda: 'unknown', cudnn: 'unknown' };
  return { libtensorflow, platforms, ...cuda, source: read ? 'package' : 'documented' };
}

function readConstants(packageDir: string): { libtensorflow: string; platforms: string[] } | null {
  let text: string;
  try {
    text = readFileSync(path.join(packageDir, 'scripts', 'deps-constants.js'), 'utf8');
  } catch {
    return null;
  }
  const version = /LIBTENSORFLOW_VERSION\s*=\s*'([\d.]+)'/.exec(text)?.[1];
  const combos = /ALL_SUPPORTED_COMBINATION\s*=\s*\[([^\]]*)\]/.exec(text)?.[1];
  if (!version || !combos) return null;
  const platforms = [...combos.matchAll(/'gpu-(\w+)-(\w+)'/g)].map(
    ([, os, arch]) => `${PLATFORM_NAMES[os] ?? os} ${ARCH_NAMES[arch] ?? arch}`,
  );
  return { libtensorflow: version, platforms };
}

/** One sentence: what the GPU backend needs (shown before Install GPU Backend). */
export function describeRequirements(req: GpuRequirements): string {
  return (
    `tfjs-node-gpu ${GPU_PACKAGE_VERSION} downloads a fixed libtensorflow ${req.libtensorflow} GPU ` +
    `build that loads only on ${req.platforms.join(' or ')} with an NVIDIA GPU, ` +
    `CUDA ${req.cuda} and cuDNN ${req.cudnn} installed.`
  );
}

/** The shared library a failed native load could not find ("libcudnn.so.8"), or null. */
export function missingLibrary(message: string): string | null {
  const linux = /([\w.+-]+\.so(?:\.[\d.]+)?): cannot open shared object file/.exec(message);
  if (linux) return linux[1];
  const mac = /Library not loaded: \S*?([\w.+-]+\.dylib)/.exec(message);
  if (mac) return mac[1];
  const windows = /([\w.+-]+\.dll)\b[^\n]*(?:could not be found|not found)/i.exec(message);
  return windows ? windows[1] : null;
}

/** Why the GPU backend did not start, for people (the training panel, the log, the CLI). */
export function gpuUnavailableReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/Cannot find module '@tensorflow\/tfjs-node-gpu'|is not installed/.test(message)) {
    return (
      'GPU backend not installed (optional: run “Transformer: Install GPU Backend” to train on ' +
      'an NVIDIA GPU; WebAssembly trains the book’s model in about half a minute)'
    );
  }
  const library = missingLibrary(message);
  if (library) {
    const req = gpuRequirements();
    return (
      `GPU backend installed but ${library} is missing (it needs CUDA ${req.cuda} and ` +
      `cuDNN ${req.cudnn})`
    );
  }
  return `GPU backend could not start: ${message.split('\n')[0]}`;
}
