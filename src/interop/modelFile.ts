import { ModelMeta } from './modelMeta';
import { StorageDtype } from './pickleValues';

/**
 * A model file's contents before they are checked against the architecture (./stateDict.ts):
 * every tensor as row-major float32, by name in the file's order, and the meta keys.
 */
export interface RawTensor {
  shape: number[];
  data: Float32Array;
  /** The dtype stored in the file (converted to float32 in `data`). */
  dtype: StorageDtype;
}

export interface RawModelFile {
  tensors: Map<string, RawTensor>;
  meta: ModelMeta;
}

/** One parameter in our order: PyTorch's state_dict name, shape and row-major values. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}
