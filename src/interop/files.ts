import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeUtf8 } from './bytes';
import { InteropError, InteropLimits, limitsWith, formatBytes } from './errors';
import {
  ExportableModel,
  exportPt,
  exportSafetensors,
  importPt,
  importSafetensors,
} from './models';
import { sidecarPathFor } from './modelMeta';
import { ImportedModel } from './stateDict';
import { isZip } from './zipRead';

/** Reading and writing model files on disk (./models.ts does the work in memory). */
export type ModelFileFormat = 'pt' | 'safetensors';

export interface OpenedModelFile extends ImportedModel {
  format: ModelFileFormat;
  /** The .safetensors file's sidecar that was read. */
  sidecarPath?: string;
}

/**
 * Reads `file`: a .pt (zip) or a .safetensors file with its sidecar (`model.json` beside
 * `model.safetensors`). Errors are InteropErrors whose message starts with the file's path or
 * name.
 */
export async function readModelFile(
  file: string,
  limits: Partial<InteropLimits> = {},
): Promise<OpenedModelFile> {
  const all = limitsWith(limits);
  const bytes = await readBounded(file, all.maxFileBytes);
  const isSafetensors = /\.safetensors$/i.test(file) || (!isZip(bytes) && bytes[8] === 0x7b);
  if (!isSafetensors) return { ...withFileName(file, () => importPt(bytes, all)), format: 'pt' };
  const sidecarPath = sidecarPathFor(file);
  const sidecarBytes = await readBounded(sidecarPath, all.maxSidecarBytes, SIDECAR_HINT);
  const sidecarName = path.basename(sidecarPath);
  const text = withFileName(sidecarPath, () => decodeUtf8(sidecarBytes, 'the file'));
  const model = withFileName(file, () => importSafetensors(bytes, text, all, sidecarName));
  return { ...model, format: 'safetensors', sidecarPath };
}

const SIDECAR_HINT =
  'a .safetensors model needs this JSON sidecar beside it, with the keys src_vocab, tgt_vocab, ' +
  'num_heads and num_steps';

/** The file's bytes, if it is a file of at most `maxBytes`; I/O errors become InteropErrors. */
async function readBounded(file: string, maxBytes: number, missingHint = ''): Promise<Buffer> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InteropError(`${file} is not a file`);
    if (stat.size > maxBytes) {
      const sizes = `${formatBytes(stat.size)}; at most ${formatBytes(maxBytes)}`;
      throw new InteropError(`${file} is ${sizes} is read`);
    }
    return await handle.readFile();
  } catch (err) {
    if (err instanceof InteropError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
    throw new InteropError(
      `${file} ${why}${missingHint && code === 'ENOENT' ? `: ${missingHint}` : ''}`,
    );
  } finally {
    await handle?.close();
  }
}

/** Runs `work`, prefixing an InteropError's message with the file's name. */
function withFileName<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof InteropError)
      throw new InteropError(`${path.basename(file)}: ${err.message}`);
    throw err;
  }
}

/**
 * Writes `model` as a .pt (`targets.pt`) and/or as .safetensors with its sidecar
 * (`targets.safetensors`, sidecar beside it). Each file is written to a temporary name and
 * renamed into place, so a failed export never leaves half a file. Returns the paths written.
 */
export async function writeModelFiles(
  model: ExportableModel,
  targets: { pt?: string; safetensors?: string },
): Promise<string[]> {
  const files: [string, Uint8Array | string][] = [];
  if (targets.pt) files.push([targets.pt, exportPt(model)]);
  if (targets.safetensors) {
    const { safetensors, sidecar } = exportSafetensors(model);
    files.push([targets.safetensors, safetensors], [sidecarPathFor(targets.safetensors), sidecar]);
  }
  const staged: [string, string][] = [];
  try {
    for (const [file, data] of files) {
      const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await fs.writeFile(temp, data, { flag: 'wx' });
      staged.push([temp, file]);
    }
    for (const [temp, file] of staged) await fs.rename(temp, file);
  } finally {
    await Promise.all(staged.map(([temp]) => fs.rm(temp, { force: true })));
  }
  return files.map(([file]) => file);
}
