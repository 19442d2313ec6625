/**
 * RFC 6962 Merkle audit paths (inclusion proofs, §2.1.1) and consistency proofs (§2.1.2), and their
 * verification as RFC 9162 §2.1.3.2 and §2.1.4.2 write it.
 *
 * The proofs are built from the recursive definitions over a function that reads leaf hashes by
 * index: a subtree hash is the tree head of a range of leaves, so a proof for a tree of n leaves
 * reads O(n) leaves (each sibling subtree once). The verifiers only hash the proof: O(log n).
 *
 * A proof binds a leaf (or an older tree) to a root; the tree size is bound by the stored head that
 * carries the root (its MAC), not by the proof.
 */
import { timingSafeEqual } from 'node:crypto';
import { EMPTY_ROOT, MerkleFrontier, nodeHash } from './merkle.js';

/** Reads the leaf hash (SHA-256(0x00 || leaf)) at `index`, counted from 0. */
export type LeafAt = (index: number) => Buffer;

const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** The largest power of two smaller than n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH of the leaves [start, end). */
export function subtreeHash(leafAt: LeafAt, start: number, end: number): Buffer {
  if (!isSize(start) || !isSize(end) || start > end) throw new RangeError(`subtree: invalid range [${start}, ${end})`);
  const frontier = new MerkleFrontier();
  for (let i = start; i < end; i++) frontier.append(leafAt(i));
  return frontier.root();
}

/** A range of leaves [start, end): a subtree whose hash is one element of a proof. */
export type LeafRange = readonly [start: number, end: number];

/** The subtrees of PATH(index, D[treeSize]), the audit path of leaf `index`, from the leaf's sibling up. */
export function inclusionRanges(index: number, treeSize: number): LeafRange[] {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize)
    throw new RangeError(`inclusion: leaf ${index} is not in a tree of ${treeSize}`);
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const mid = start + split(end - start);
    if (index < mid) {
      topDown.push([mid, end]);
      end = mid;
    } else {
      topDown.push([start, mid]);
      start = mid;
    }
  }
  return topDown.reverse();
}

/** The subtrees of PROOF(oldSize, D[newSize]): none when oldSize is 0 or newSize (nothing to prove). */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize)
    throw new RangeError(`consistency: invalid sizes ${oldSize} → ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  // SUBPROOF(m, D[start:end], whole), unrolled: each level adds one sibling, collected top-down.
  const topDown: LeafRange[] = [];
  let m = oldSize;
  let start = 0;
  let end = newSize;
  let whole = true;
  while (m !== end - start) {
    const k = split(end - start);
    if (m <= k) {
      topDown.push([start + k, end]);
      end = start + k;
    } else {
      topDown.push([start, start + k]);
      start += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) topDown.push([start, end]);
  return topDown.reverse();
}

/** PATH(index, D[treeSize]), hashed from leaves read by index. */
export const inclusionProof = (leafAt: LeafAt, index: number, treeSize: number): Buffer[] =>
  inclusionRanges(index, treeSize).map(([start, end]) => subtreeHash(leafAt, start, end));

/** PROOF(oldSize, D[newSize]), hashed from leaves read by index. */
export const consistencyProof = (leafAt: LeafAt, oldSize: number, newSize: number): Buffer[] =>
  consistencyRanges(oldSize, newSize).map(([start, end]) => subtreeHash(leafAt, start, end));

/**
 * Hashes a proof's subtrees (disjoint ranges, as both kinds of proof have) from the leaves read once,
 * in order, from the first: memory O(log n) per range instead of every leaf, so that a proof over a
 * log of a billion rows streams through it.
 */
export class RangeHasher {
  readonly #ranges: readonly LeafRange[];
  readonly #frontiers: MerkleFrontier[];
  readonly #byStart: number[];
  #next = 0; // position in #byStart of the first range not yet passed
  #index = 0;

  constructor(ranges: readonly LeafRange[]) {
    this.#ranges = ranges;
    this.#frontiers = ranges.map(() => new MerkleFrontier());
    this.#byStart = ranges.map((_, i) => i).sort((a, b) => ranges[a]![0] - ranges[b]![0]);
  }

  /** The leaf hash at the next index (0, 1, 2…). */
  push(leaf: Buffer): void {
    const i = this.#index++;
    while (this.#next < this.#byStart.length && this.#ranges[this.#byStart[this.#next]!]![1] <= i) this.#next++;
    const r = this.#byStart[this.#next];
    if (r !== undefined && this.#ranges[r]![0] <= i) this.#frontiers[r]!.append(leaf);
  }

  /** The hashes, in the ranges' order; RangeError if a range was not read whole. */
  hashes(): Buffer[] {
    return this.#ranges.map(([start, end], r) => {
      if (this.#frontiers[r]!.size !== end - start) throw new RangeError(`range [${start}, ${end}) not read whole`);
      return this.#frontiers[r]!.root();
    });
  }
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
const odd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `proof` lead from `leafHash` at `index` to `root` in a tree of `treeSize`? */
export function verifyInclusion(
  leafHash: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && same(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree of `oldSize` leaves with `oldRoot` a prefix of the tree of `newSize` with `newRoot`? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Buffer,
  newRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && same(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && same(oldRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  // An old tree of 2^k leaves is a subtree of the new one: the proof leaves out its root, known already.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && same(fr, oldRoot) && same(sr, newRoot);
}

const isPowerOfTwo = (n: number): boolean => {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
};
