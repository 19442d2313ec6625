/**
 * Where randomness comes from. The domain never picks a generator: production passes an adapter over
 * a cryptographic source, the simulation passes a seeded PRNG so that runs are reproducible.
 */
export interface RandomSource {
  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number;
}

const TWO_POW_32 = 0x1_0000_0000;

/** A uniform integer in [0, n) for 1 ≤ n ≤ 2^32, without modulo bias (rejection sampling). */
export function randomBelow(source: RandomSource, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`randomBelow: bad bound ${n}`);
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  for (;;) {
    const x = source.nextUint32();
    if (x < limit) return x % n;
  }
}
