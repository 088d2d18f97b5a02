// AssemblyScript helpers shared by the kernels (imported, not compiled as an entry of its own).

/** The sum of an f32x4's four lanes. */
export function sum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}
