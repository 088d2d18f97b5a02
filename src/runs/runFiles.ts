/** File helpers of the run history: sizes and whole-folder copies that never leave half a copy. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { swapInDir } from '../util/swapDir';

/** Bytes of every file under `dir` (0 when it does not exist). */
export async function dirSize(dir: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile()) total += (await fs.stat(p)).size;
  }
  return total;
}

/**
 * Copies the files of `from` (one level: a checkpoint is checkpoint.json and weights.bin) into
 * `to`: first into a staging sibling, then swapped in, so `to` is always whole (old or new).
 */
export async function replaceDirWithCopy(from: string, to: string): Promise<void> {
  const parent = path.dirname(path.resolve(to));
  await fs.mkdir(parent, { recursive: true });
  const staging = await fs.mkdtemp(path.join(parent, `.${path.basename(to)}.copy-`));
  try {
    for (const e of await fs.readdir(from, { withFileTypes: true })) {
      if (e.isFile()) await fs.copyFile(path.join(from, e.name), path.join(staging, e.name));
    }
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
  await swapInDir(staging, to);
}
