/**
 * A fast deterministic pseudo-random generator for the simulation: sfc32 (Chris Doty-Humphrey's
 * Small Fast Counting generator), seeded from any string or number through cyrb128. Never use it
 * for secrets: production identifiers take a cryptographic RandomSource.
 */
import type { RandomSource } from '../../domain/random.js';

const TWO_POW_32 = 0x1_0000_0000;

/** cyrb128: four 32-bit words from a string, well mixed. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    [this.a, this.b, this.c, this.d] = cyrb128(String(seed));
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** sfc32 step: a uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An integer in [0, n); bias below n / 2^32, negligible for simulation. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element; the list must not be empty. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.below(items.length)] as T;
  }

  /** Approximately normal (Box–Muller), mean 0 and standard deviation 1 unless given. */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** An independent generator derived from this one's seed and a label (stable across runs). */
  static derive(seed: string | number, label: string | number): Rng {
    return new Rng(`${seed}/${label}`);
  }
}

export const createRng = (seed: string | number): Rng => new Rng(seed);

/**
 * Weighted sampling in O(1) per draw (Walker's alias method, Vose's construction): two random
 * numbers per draw whatever the number of items.
 */
export class WeightedTable<T> {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length)
      throw new RangeError('WeightedTable: bad items or weights');
    const total = weights.reduce((sum, w) => sum + (w > 0 ? w : 0), 0);
    if (!(total > 0)) throw new RangeError('WeightedTable: weights sum to zero');
    [this.probability, this.alias] = buildAlias(weights.map((w) => ((w > 0 ? w : 0) * items.length) / total));
  }

  get size(): number {
    return this.items.length;
  }

  sample(rng: Rng): T {
    const i = rng.below(this.items.length);
    const chosen = rng.next() < (this.probability[i] ?? 1) ? i : (this.alias[i] ?? i);
    return this.items[chosen] as T;
  }
}

function buildAlias(scaled: number[]): [Float64Array, Uint32Array] {
  const n = scaled.length;
  const probability = new Float64Array(n).fill(1);
  const alias = new Uint32Array(n).map((_, i) => i);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() as number;
    const l = large.pop() as number;
    probability[s] = scaled[s] ?? 0;
    alias[s] = l;
    scaled[l] = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  return [probability, alias];
}

/** Builds a table from [item, weight] pairs. */
export const weightedTable = <T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> =>
  new WeightedTable(
    pairs.map(([item]) => item),
    pairs.map(([, weight]) => weight),
  );
