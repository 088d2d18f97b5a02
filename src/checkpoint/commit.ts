/**
 * Writing a checkpoint so that a crash at any moment leaves the old one or the new one, whole.
 *
 * Why not "write a staging folder, then swap folders" (what this replaced): swapping takes two
 * renames (old folder aside, new one in), and a kill between them leaves no checkpoint at all.
 * Here the folder stays and only files change, in this order:
 *   1. the new weights go to a temp file, fsynced, then renamed to `weights-<hash>.bin`: a name
 *      the current checkpoint.json does not point to (or, for identical weights, the same bytes);
 *   2. the new checkpoint.json goes to a temp file, fsynced, then renamed over checkpoint.json:
 *      one atomic rename, the single moment the checkpoint changes;
 *   3. the folder is fsynced, and only then the old weights file and any leftovers are removed.
 * A crash before 2's rename leaves the old manifest pointing at the old, untouched weights; after
 * it, the new manifest points at weights that were durable before it was written. Leftovers of a
 * crash are the format's own hidden temp files and unreferenced weights files: the next save
 * removes them (loads never write: translating from a read-only folder works, and a load can
 * never delete the weights a concurrent save has written but not yet committed).
 * One save at a time per folder: the extension and the CLI each have one writer per folder.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exists, syncDir, tempSibling, writeFileSynced } from '../util/durableFs';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointManifest,
  LEGACY_WEIGHTS_FILE,
  MANIFEST_FILE,
  ModelFields,
  WEIGHTS_FILE_PATTERN,
  modelSha256,
  sha256,
  weightsFileName,
} from './manifest';
import { readCheckpointFiles } from './readCheckpoint';
import { checkSaveTarget, isTempFileName } from './saveTarget';

/** The positions of a save, in order (`leftoverRemoved` once per file removed). */
export const SAVE_STEPS = [
  'checked',
  'folderReady',
  'weightsOpened',
  'weightsWritten',
  'weightsSynced',
  'weightsNamed',
  'manifestOpened',
  'manifestWritten',
  'manifestSynced',
  'manifestCommitted',
  'folderSynced',
  'leftoverRemoved',
  'done',
] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

export interface SaveOptions {
  /** Called at each step (tests stop a process there to prove the steps crash-safe). */
  onStep?: (step: SaveStep) => void;
}

/** A model as the format stores it: the weights file and the hashes are derived from it. */
export interface CheckpointContents
  extends Omit<ModelFields, 'weightsFile' | 'weightsSha256'>, Pick<CheckpointManifest, 'metrics'> {
  /** Default: now. A copy keeps the original's. */
  createdAt?: string;
}

/** Saves `contents` with float32 `bytes` into `dir` (the rule of ./saveTarget.ts applies). */
export async function commitCheckpoint(
  dir: string,
  contents: CheckpointContents,
  bytes: Uint8Array,
  options: SaveOptions = {},
): Promise<CheckpointManifest> {
  const step = options.onStep ?? (() => {});
  await checkSaveTarget(dir);
  step('checked');
  await ensureFolder(dir);
  step('folderReady');
  const weightsSha256 = sha256(bytes);
  const weightsFile = weightsFileName(weightsSha256);
  const { createdAt, metrics, ...model } = contents;
  const fields = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: createdAt ?? new Date().toISOString(),
    ...model,
    weightsFile,
    weightsSha256,
  } as const;
  const manifest: CheckpointManifest = { ...fields, modelSha256: modelSha256(fields), metrics };
  await installFile(path.join(dir, weightsFile), bytes, 'weights', step);
  await syncDir(dir); // the weights' name is durable before a manifest can point to it
  step('weightsNamed');
  await installFile(
    path.join(dir, MANIFEST_FILE),
    JSON.stringify(manifest, null, 1),
    'manifest',
    step,
  );
  step('manifestCommitted');
  await syncDir(dir);
  step('folderSynced');
  await removeLeftovers(dir, weightsFile, () => step('leftoverRemoved'));
  step('done');
  return manifest;
}

/**
 * Copies the checkpoint in `from` into `to` (run history, Make Current): checked whole first (a
 * damaged source is an error, not a damaged copy), then written by commitCheckpoint. A version 1
 * source is written as version 2.
 */
export async function copyCheckpoint(
  from: string,
  to: string,
  options: SaveOptions = {},
): Promise<CheckpointManifest> {
  const { manifest, bytes } = await readCheckpointFiles(from);
  const { hyperparameters, srcVocab, tgtVocab, weights, metrics, createdAt } = manifest;
  const contents = { hyperparameters, srcVocab, tgtVocab, weights, metrics, createdAt };
  return commitCheckpoint(to, contents, bytes, options);
}

async function ensureFolder(dir: string): Promise<void> {
  if (await exists(dir)) return;
  await fs.mkdir(dir, { recursive: true });
  await syncDir(path.dirname(path.resolve(dir)));
}

/** Writes a synced temp sibling of `file`, then renames it to `file`. */
async function installFile(
  file: string,
  data: Uint8Array | string,
  what: 'weights' | 'manifest',
  step: (s: SaveStep) => void,
): Promise<void> {
  const temp = tempSibling(file);
  try {
    await writeFileSynced(temp, data, (s) =>
      step(`${what}${s.charAt(0).toUpperCase()}${s.slice(1)}` as SaveStep),
    );
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** Removes the format's files that checkpoint.json no longer points to (old weights, temps). */
async function removeLeftovers(dir: string, keep: string, removed: () => void): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    if (!e.isFile() || e.name === keep) continue;
    const weights = e.name === LEGACY_WEIGHTS_FILE || WEIGHTS_FILE_PATTERN.test(e.name);
    if (!weights && !isTempFileName(e.name)) continue;
    await fs.rm(path.join(dir, e.name), { force: true });
    removed();
  }
}
