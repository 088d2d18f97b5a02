// AssemblyScript: where the caller's arrays may start in the kernels' memory (kernels.ts).

/** The first byte after the module's own data, 16-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
