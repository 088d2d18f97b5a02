/** Folder replacement that never leaves half a folder: write a staging sibling, then swap it in. */
import { promises as fs } from 'node:fs';

/**
 * Moves the finished `staging` folder to `dir`, replacing what was there; on failure `staging`
 * is removed and `dir` is left as it was (old or absent).
 */
export async function swapInDir(staging: string, dir: string): Promise<void> {
  try {
    const old = `${staging}.old`;
    const hadOld = await exists(dir);
    if (hadOld) await fs.rename(dir, old);
    await fs.rename(staging, dir);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
