import { MAX_RANK, fail } from './errors';
import { SAVE_SNIPPET } from './modelMeta';
import {
  PyDict,
  PyGlobal,
  PyTuple,
  PyValue,
  StorageDtype,
  StorageRef,
  TensorRef,
  describe,
} from './pickleValues';

/**
 * The whole of Python the restricted unpickler knows: the globals torch.save writes for a dict
 * of a state_dict, vocabularies and numbers. Any other global is refused by name before it could
 * mean anything; nothing here imports, calls or constructs user-chosen objects.
 */
export const ORDERED_DICT = 'collections.OrderedDict';
export const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';

/** torch.save's storage classes that are read, and the dtype each holds. */
export const STORAGE_DTYPES: Readonly<Record<string, StorageDtype>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
};

export function resolveGlobal(module: string, name: string): PyGlobal {
  const qualified = `${module}.${name}`;
  if (qualified === ORDERED_DICT || qualified === REBUILD_TENSOR) return new PyGlobal(module, name);
  if (module === 'torch' && Object.hasOwn(STORAGE_DTYPES, name)) return new PyGlobal(module, name);
  return fail(`the pickle asks for ${qualified}, which is refused${hintFor(module, name)}`);
}

function hintFor(module: string, name: string): string {
  if (module === 'torch' && name.endsWith('Storage')) {
    return ': only float32, float64, float16 and bfloat16 tensors are read';
  }
  if (name === 'Vocab' || module === '__main__' || module.startsWith('d2l')) {
    return (
      ': save the vocabularies as lists of strings (src_vocab.idx_to_token), not as objects, ' +
      `as in ${SAVE_SNIPPET}`
    );
  }
  return (
    ' (a model file may hold only tensors, OrderedDicts, lists, strings and numbers; ' +
    `nothing in it is executed). Save the model as ${SAVE_SNIPPET}`
  );
}

/** REDUCE: calls `callable` on `args` — for the two callables torch.save writes, nothing else. */
export function reduce(callable: PyValue, args: PyValue): PyValue {
  if (!(callable instanceof PyGlobal)) fail(`REDUCE calls ${describe(callable)}, not a function`);
  if (!(args instanceof PyTuple)) fail(`REDUCE arguments are ${describe(args)}, not a tuple`);
  switch (callable.qualifiedName) {
    case ORDERED_DICT:
      if (args.items.length !== 0) fail('OrderedDict is built with arguments; expected none');
      return new PyDict(true);
    case REBUILD_TENSOR:
      return rebuildTensor(args.items);
    default:
      return fail(`${callable.qualifiedName} cannot be called`);
  }
}

/** BUILD on an OrderedDict: its `_metadata` (module versions) is accepted and dropped. */
export function build(target: PyValue, state: PyValue): void {
  if (!(target instanceof PyDict) || !target.ordered) {
    fail(`BUILD sets the state of ${describe(target)}; only an OrderedDict's is accepted`);
  }
  if (!(state instanceof PyDict)) fail(`BUILD state is ${describe(state)}, not a dict`);
}

/** BINPERSID: torch.save's ('storage', torch.FloatStorage, key, location, numel). */
export function persistentLoad(pid: PyValue): StorageRef {
  const items = pid instanceof PyTuple ? pid.items : [];
  const [tag, cls, key, location, numel] = items;
  if (items.length !== 5 || tag !== 'storage') {
    fail(`a persistent id is ${describe(pid)}, not ('storage', class, key, location, numel)`);
  }
  if (
    !(cls instanceof PyGlobal) ||
    cls.module !== 'torch' ||
    !Object.hasOwn(STORAGE_DTYPES, cls.name)
  ) {
    return fail(`a storage has class ${describe(cls)}, not a float storage class`);
  }
  if (typeof key !== 'string' || key.length === 0 || key.length > 256) {
    fail(`a storage has key ${describe(key)}`);
  }
  if (typeof location !== 'string') fail(`a storage has location ${describe(location)}`);
  return new StorageRef(STORAGE_DTYPES[cls.name], key, location, count(numel, 'storage size'));
}

function rebuildTensor(items: readonly PyValue[]): TensorRef {
  const [storage, offset, size, stride, requiresGrad, hooks, metadata] = items;
  if (items.length !== 6 && items.length !== 7) {
    fail(`_rebuild_tensor_v2 gets ${items.length} arguments, expected 6`);
  }
  if (!(storage instanceof StorageRef)) return fail(`a tensor's storage is ${describe(storage)}`);
  const shape = intTuple(size, 'shape');
  const strides = intTuple(stride, 'stride');
  if (shape.length !== strides.length) {
    fail(`a tensor has shape [${shape}] but ${strides.length} strides`);
  }
  if (typeof requiresGrad !== 'boolean') fail(`requires_grad is ${describe(requiresGrad)}`);
  if (!(hooks instanceof PyDict) || hooks.map.size !== 0) {
    fail(`a tensor has backward hooks (${describe(hooks)}); save net.state_dict()`);
  }
  const emptyMetadata = metadata === undefined || metadata === null;
  if (!emptyMetadata && !(metadata instanceof PyDict && metadata.map.size === 0)) {
    fail(`a tensor has metadata (${describe(metadata)}), which is not read`);
  }
  const tensor = new TensorRef(storage, count(offset, 'storage offset'), shape, strides);
  checkView(tensor);
  return tensor;
}

/** The view must lie inside its storage: offset + Σ (size_i − 1)·stride_i < numel. */
function checkView(t: TensorRef): void {
  let elements = 1;
  let last = t.offset;
  t.shape.forEach((n, i) => {
    elements *= n;
    last += (n - 1) * t.stride[i];
  });
  if (elements === 0) return;
  if (!Number.isSafeInteger(elements) || !Number.isSafeInteger(last) || last >= t.storage.numel) {
    fail(
      `a tensor of shape [${t.shape}] (stride [${t.stride}], offset ${t.offset}) reaches past ` +
        `its storage of ${t.storage.numel} values`,
    );
  }
}

function intTuple(v: PyValue, what: string): number[] {
  if (!(v instanceof PyTuple)) return fail(`a tensor's ${what} is ${describe(v)}, not a tuple`);
  if (v.items.length > MAX_RANK) fail(`a tensor's ${what} has ${v.items.length} dimensions`);
  return v.items.map((x) => count(x, `${what} entry`));
}

function count(v: PyValue | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    return fail(`${what} is ${v === undefined ? 'missing' : describe(v)}, not a count`);
  }
  return v;
}
