/**
 * The interop room: models to and from the book's PyTorch code. Plain Node (Buffers and
 * Float32Arrays): no tfjs and no vscode, so the extension host, the CLI and the worker can all
 * use it. See docs/model-files.md for the formats.
 */
export { InteropError, DEFAULT_LIMITS } from './errors';
export type { InteropLimits } from './errors';
export type { ImportedModel } from './stateDict';
export type { NamedTensor } from './modelFile';
export type { ExportableModel } from './models';
export { importPt, importSafetensors, exportPt, exportSafetensors } from './models';
export { readModelFile, writeModelFiles } from './files';
export type { ModelFileFormat, OpenedModelFile } from './files';
export { parameterLayout } from './layout';
export { sidecarPathFor, DEFAULT_NUM_STEPS, DEFAULT_DROPOUT } from './modelMeta';
