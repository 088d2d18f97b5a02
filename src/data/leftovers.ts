/**
 * Temporary files a download leaves behind when its process is killed (kill -9, a crashed
 * extension host): `finally` blocks never run, so a `.fra-eng-<pid>-<hex>.zip.part` of up to the
 * archive limit (64 MB) would stay in the cache folder for good. Their names carry the writer's
 * pid; a later download removes those whose writer is gone, and never one a live process (this
 * one included: two windows may download at once) may still be writing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the files in `dir` whose name matches `pattern` (its first group: the writer's pid)
 * and whose writer is no longer running. A missing folder or a file that vanished meanwhile is
 * fine; the names removed are returned.
 */
export function removeLeftovers(dir: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
