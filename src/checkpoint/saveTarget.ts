/**
 * The write-safety rule for every folder a checkpoint is saved or copied into (the CLI's --out,
 * the extension's current model, run-history copies): a save may only go into a folder that is
 * absent, empty, or holds a checkpoint of this format. Anything else is refused before anything
 * is written, naming the folder and what is in it. A save then touches only the files the format
 * owns (./commit.ts), so a note a user keeps beside a checkpoint stays.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TEMP_MARK } from '../util/durableFs';
import {
  CHECKPOINT_FORMAT,
  CheckpointError,
  LEGACY_WEIGHTS_FILE,
  MANIFEST_FILE,
  WEIGHTS_FILE_PATTERN,
} from './manifest';

/** Files a desktop puts in any folder a person opened: they do not make a folder "used". */
const DESKTOP_CLUTTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);
const SHOWN_NAMES = 5;

/** Throws a CheckpointError unless a checkpoint may be saved into `dir` (see above). */
export async function checkSaveTarget(dir: string): Promise<void> {
  const refuse = (what: string) =>
    new CheckpointError(
      `refusing to save a checkpoint here: ${what}. Nothing was written; choose a new or empty ` +
        'folder, or one that holds a checkpoint.',
      dir,
    );
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw refuse(`it cannot be read (${(err as Error).message})`);
  }
  if (!stat.isDirectory()) throw refuse('it is a file, not a folder');
  const entries = (await fs.readdir(dir, { withFileTypes: true })).filter(
    (e) => !DESKTOP_CLUTTER.has(e.name),
  );
  if (entries.length === 0) return;
  const manifest = await manifestFormat(path.join(dir, MANIFEST_FILE));
  if (manifest === 'ours') return;
  const foreign = entries.filter(
    (e) =>
      !e.isFile() ||
      !isCheckpointFileName(e.name) ||
      (e.name === MANIFEST_FILE && manifest === 'foreign'),
  );
  if (foreign.length > 0) {
    const shown = foreign.slice(0, SHOWN_NAMES).map((e) => e.name + (e.isDirectory() ? '/' : ''));
    const more = foreign.length > SHOWN_NAMES ? `, and ${foreign.length - SHOWN_NAMES} more` : '';
    const count = foreign.length === 1 ? '1 item that is' : `${foreign.length} items that are`;
    throw refuse(
      `the folder holds ${count} not part of a checkpoint of this extension ` +
        `(${shown.join(', ')}${more})`,
    );
  }
  if (entries.length === 1 && entries[0].name === MANIFEST_FILE) {
    throw refuse(`its only file, ${MANIFEST_FILE}, is damaged: it may be another program's`);
  }
  // Only this format's files beside a damaged or missing checkpoint.json: a damaged checkpoint
  // or the leftovers of a crashed first save. Replacing them loses nothing.
}

/** Names a checkpoint folder may hold that only this format writes (leftovers included). */
export function isCheckpointFileName(name: string): boolean {
  if (name === MANIFEST_FILE || name === LEGACY_WEIGHTS_FILE || WEIGHTS_FILE_PATTERN.test(name)) {
    return true;
  }
  return isTempFileName(name);
}

/** A temp file of an unfinished save: `.checkpoint.json.tmp-…` or `.weights-….bin.tmp-…`. */
export function isTempFileName(name: string): boolean {
  const mark = name.indexOf(TEMP_MARK);
  if (!name.startsWith('.') || mark < 0) return false;
  const base = name.slice(1, mark);
  return base === MANIFEST_FILE || WEIGHTS_FILE_PATTERN.test(base);
}

/**
 * 'ours' for a checkpoint.json of this format (any version: it is ours to replace), 'foreign'
 * for readable JSON that is something else, 'unreadable' for a damaged or absent one.
 */
async function manifestFormat(file: string): Promise<'ours' | 'foreign' | 'unreadable'> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return 'unreadable';
  }
  const format = (json as { format?: unknown } | null)?.format;
  return format === CHECKPOINT_FORMAT ? 'ours' : 'foreign';
}
