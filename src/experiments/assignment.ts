// Deterministic, stateless assignment: a hash of (experiment seed, user id) into [0, 1), mapped
// onto the variations' weights. Any service computing this gets the same arm for the same user.
// The hash is GrowthBook's version 2 (FNV-1a 32-bit applied twice), so assignments agree with it.

export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The user's position in [0, 1) for this experiment seed. */
export function hashToUnit(seed: string, userId: string): number {
  return (fnv1a32(String(fnv1a32(seed + userId))) % 10000) / 10000;
}

/** Index of the variation whose cumulative weight range holds `unit`, or -1 if the weights do not cover it. */
export function chooseVariation(unit: number, weights: readonly number[]): number {
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i] ?? 0;
    if (unit < cumulative) return i;
  }
  return -1;
}

export function assignVariation(seed: string, userId: string, weights: readonly number[]): number {
  return chooseVariation(hashToUnit(seed, userId), weights);
}
