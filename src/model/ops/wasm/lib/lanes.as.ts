// AssemblyScript helpers shared by the kernels (imported, not compiled as an entry of its own).

/** The sum of an f32x4's four lanes. */
export function sum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

/** Four lanes from `at` (step 16), or one value in lane 0 and zeros (step 4: a scalar row). */
export function load4(at: usize, step: usize): v128 {
  return step === 16 ? v128.load(at) : v128.load32_zero(at);
}

/** The inverse of `load4`. */
export function store4(at: usize, v: v128, step: usize): void {
  if (step === 16) v128.store(at, v);
  else store<f32>(at, f32x4.extract_lane(v, 0));
}
