/**
 * File writes that survive a crash: data is fsynced before a name points to it, and a name is
 * switched by rename (atomic on POSIX and on NTFS), so a reader sees the old file or the new one,
 * whole. A killed process can only lose what the page cache had not written yet; fsync is what
 * also covers a power cut.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Positions inside a durable write, reported to `onStep` (the crash tests stop there). */
export type WriteStep = 'opened' | 'written' | 'synced';

/** Writes `data` to `file` (created or truncated) and fsyncs it before returning. */
export async function writeFileSynced(
  file: string,
  data: Uint8Array | string,
  onStep: (step: WriteStep) => void = () => {},
): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    onStep('opened');
    await handle.writeFile(data);
    onStep('written');
    await handle.sync();
    onStep('synced');
  } finally {
    await handle.close();
  }
}

/**
 * Makes the entries of `dir` (creations, renames, deletions) durable. Windows cannot open a
 * folder for fsync (EPERM/EISDIR) and NTFS journals renames itself, so there it is skipped.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (err) {
    if (isCode(err, 'EPERM', 'EISDIR', 'EACCES')) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!isCode(err, 'EPERM', 'EINVAL', 'EBADF')) throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `data` atomically: a hidden synced temp sibling renamed over it, then the
 * folder synced. A crash at any point leaves the old content or the new, never a mix.
 */
export async function replaceFileAtomically(
  file: string,
  data: Uint8Array | string,
): Promise<void> {
  const temp = tempSibling(file);
  try {
    await writeFileSynced(temp, data);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(file));
}

/** `dir/.name.tmp-<random>`: hidden, unique, and recognisable as a leftover. */
export function tempSibling(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}${TEMP_MARK}${randomBytes(4).toString('hex')}`,
  );
}

export const TEMP_MARK = '.tmp-';

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException | null)?.code ?? '');
}
