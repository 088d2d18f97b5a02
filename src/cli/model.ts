/**
 * `--model` of translate and eval: a checkpoint folder written by `train`, or a model file the
 * book's PyTorch code saved (.pt, or .safetensors with its .json sidecar; docs/model-files.md),
 * read and checked by src/interop and run without writing anything.
 */
import { promises as fs } from 'node:fs';
import { LoadedCheckpoint, loadCheckpoint, modelOf } from '../checkpoint/checkpoint';
import { checkpointOfImported } from '../interop/checkpointModel';
import { readModelFile } from '../interop/files';

/** What translate and eval need of a model: the same for a folder and a file. */
export type LoadedModel = Omit<LoadedCheckpoint, 'manifest'>;

export async function loadModel(modelPath: string): Promise<LoadedModel> {
  const stat = await fs.stat(modelPath).catch(() => null);
  if (!stat?.isFile()) return loadCheckpoint(modelPath); // a folder, or its "does not exist"
  const { contents, bytes } = checkpointOfImported(await readModelFile(modelPath));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return modelOf(contents, floats, modelPath);
}
