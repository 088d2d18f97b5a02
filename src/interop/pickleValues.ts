/**
 * The only values the restricted unpickler (./unpickle.ts) can build: Python's None, bools,
 * ints and floats (numbers), str, tuple, list, dict/OrderedDict, the allowed globals, storages
 * and tensors. A tensor is a reference (storage, offset, shape, stride); the .pt reader reads its
 * data from the archive afterwards.
 */
export type PyValue =
  null | boolean | number | string | PyTuple | PyList | PyDict | PyGlobal | StorageRef | TensorRef;

/** A list, dict or tuple. Depth counts nesting; a frozen one is nested in another and final. */
export abstract class PyContainer {
  depth = 1;
  frozen = false;
}

export class PyTuple extends PyContainer {
  constructor(readonly items: readonly PyValue[]) {
    super();
    this.frozen = true;
  }
}

export class PyList extends PyContainer {
  readonly items: PyValue[] = [];
}

export type PyKey = string | number | boolean | null;

export class PyDict extends PyContainer {
  readonly map = new Map<PyKey, PyValue>();
  constructor(readonly ordered: boolean) {
    super();
  }
}

/** A module attribute the pickle names with GLOBAL; only the allow-listed ones get built. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

export type StorageDtype = 'float32' | 'float64' | 'float16' | 'bfloat16';

/** torch.save's persistent id ('storage', torch.FloatStorage, key, location, numel). */
export class StorageRef {
  constructor(
    readonly dtype: StorageDtype,
    readonly key: string,
    readonly location: string,
    readonly numel: number,
  ) {}
}

/** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks). */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** A short description for messages, never recursing into containers. */
export function describe(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  if (v instanceof PyTuple) return `a tuple of ${v.items.length}`;
  if (v instanceof PyList) return `a list of ${v.items.length}`;
  if (v instanceof PyDict) return `a dict of ${v.map.size}`;
  if (v instanceof PyGlobal) return v.qualifiedName;
  if (v instanceof StorageRef) return `a ${v.dtype} storage`;
  return `a tensor of shape [${v.shape.join(', ')}]`;
}
