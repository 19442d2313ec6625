/**
 * Inclusion and consistency proofs against the tree heads `MerkleFrontier` computes: every proof
 * up to 40 leaves verifies, and any change (a flipped bit, a proof element dropped or added, another
 * leaf, index, root or size) makes verification fail.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyRanges,
  inclusionProof,
  inclusionRanges,
  RangeHasher,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proofs.js';
import type { LeafRange } from './merkle-proofs.js';
import { EMPTY_ROOT, MerkleFrontier } from './merkle.js';

const MAX = 40;
const leaves = Array.from({ length: MAX + 2 }, () =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(randomBytes(16))
    .digest(),
);
const leafAt = (i: number): Buffer => {
  const leaf = leaves[i];
  if (leaf === undefined) throw new RangeError(`leaf ${i} read beyond the tree`);
  return leaf;
};
/** roots[n]: the tree head of the first n leaves, from the incremental frontier (not from the proof code). */
const roots: Buffer[] = [EMPTY_ROOT];
{
  const frontier = new MerkleFrontier();
  for (const leaf of leaves) {
    frontier.append(leaf);
    roots.push(frontier.root());
  }
}
const rootOf = (n: number): Buffer => roots[n]!;

/** Every proof with one bit flipped, one element dropped, or one element added. */
function* mutations(proof: readonly Buffer[]): Generator<[string, Buffer[]]> {
  for (let i = 0; i < proof.length; i++) {
    for (const bit of [0, 255]) {
      const flipped = proof.map((p) => Buffer.from(p));
      const target = flipped[i]!;
      target[bit >> 3] = target[bit >> 3]! ^ (1 << (bit & 7));
      yield [`bit ${bit} of element ${i} flipped`, flipped];
    }
    yield [`element ${i} dropped`, proof.filter((_, j) => j !== i)];
  }
  yield ['an element appended', [...proof, leafAt(0)]];
  yield ['an element prepended', [leafAt(0), ...proof]];
}

/** Runs `check` on every case and returns the cases where it failed, so that one assertion names them all. */
function failures<T>(cases: Iterable<T>, check: (c: T) => boolean, name: (c: T) => string): string[] {
  const failed: string[] = [];
  for (const c of cases) if (!check(c)) failed.push(name(c));
  return failed;
}

function* pairs(maxFirst: (n: number) => number, min = 0): Generator<[number, number]> {
  for (let n = 1; n <= MAX; n++) for (let i = min; i < maxFirst(n); i++) yield [i, n];
}

describe('subtree hashes', () => {
  it('are the frontier roots of the range, and refuse a reversed range', () => {
    for (let n = 0; n <= MAX; n++) expect(subtreeHash(leafAt, 0, n)).toEqual(rootOf(n));
    const frontier = new MerkleFrontier();
    leaves.slice(5, 17).forEach((l) => frontier.append(l));
    expect(subtreeHash(leafAt, 5, 17)).toEqual(frontier.root());
    expect(() => subtreeHash(leafAt, 3, 2)).toThrow(RangeError);
  });
});

describe('inclusion proofs (RFC 6962 §2.1.1)', () => {
  it('verify for every leaf of every tree up to 40 leaves, and have the expected length', () => {
    const bad = failures(
      pairs((n) => n),
      ([i, n]) => {
        const proof = inclusionProof(leafAt, i, n);
        const depth = n === 1 ? 0 : Math.ceil(Math.log2(n));
        return proof.length <= depth && verifyInclusion(leafAt(i), i, n, proof, rootOf(n));
      },
      ([i, n]) => `leaf ${i} of ${n}`,
    );
    expect(bad).toEqual([]);
  });

  it('are the sibling in a tree of two and empty for a single leaf', () => {
    expect(inclusionProof(leafAt, 0, 1)).toEqual([]);
    expect(inclusionProof(leafAt, 0, 2)).toEqual([leafAt(1)]);
    expect(inclusionProof(leafAt, 1, 2)).toEqual([leafAt(0)]);
  });

  it('fail once a bit is flipped or an element is dropped or added', () => {
    const bad: string[] = [];
    for (const [i, n] of pairs((n) => n)) {
      const proof = inclusionProof(leafAt, i, n);
      for (const [what, mutated] of mutations(proof))
        if (verifyInclusion(leafAt(i), i, n, mutated, rootOf(n))) bad.push(`leaf ${i} of ${n}: ${what}`);
    }
    expect(bad).toEqual([]);
  });

  it('fail for another leaf, another index, another root, or another tree size with its root', () => {
    const bad: string[] = [];
    for (const [i, n] of pairs((n) => n)) {
      const proof = inclusionProof(leafAt, i, n);
      const other = leafAt(i === 0 ? 1 : 0);
      if (verifyInclusion(other, i, n, proof, rootOf(n))) bad.push(`leaf ${i} of ${n}: another leaf`);
      for (let j = 0; j < n + 2; j++)
        if (j !== i && verifyInclusion(leafAt(i), j, n, proof, rootOf(n))) bad.push(`leaf ${i} of ${n}: index ${j}`);
      for (let m = 0; m <= MAX + 1; m++) {
        if (m !== n && verifyInclusion(leafAt(i), i, n, proof, rootOf(m))) bad.push(`leaf ${i} of ${n}: root of ${m}`);
        // A size is bound by the head that carries the root: a proof for n does not prove the leaf in the tree of m.
        if (m !== n && verifyInclusion(leafAt(i), i, m, proof, rootOf(m))) bad.push(`leaf ${i} of ${n}: tree of ${m}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('refuse to prove a leaf outside the tree, and verification says no', () => {
    expect(() => inclusionProof(leafAt, 3, 3)).toThrow(RangeError);
    expect(() => inclusionProof(leafAt, -1, 3)).toThrow(RangeError);
    expect(() => inclusionProof(leafAt, 0, 0)).toThrow(RangeError);
    expect(verifyInclusion(leafAt(0), 0, 0, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(leafAt(0), -1, 1, [], rootOf(1))).toBe(false);
    expect(verifyInclusion(leafAt(0), 0.5, 1, [], rootOf(1))).toBe(false);
    expect(verifyInclusion(leafAt(0), 0, 1, [], rootOf(1))).toBe(true); // the control: a single leaf is its own root
  });
});

describe('consistency proofs (RFC 6962 §2.1.2)', () => {
  it('verify between every pair of sizes up to 40 leaves', () => {
    const bad = failures(
      (function* () {
        for (let n = 0; n <= MAX; n++) for (let m = 0; m <= n; m++) yield [m, n] as const;
      })(),
      ([m, n]) => verifyConsistency(m, n, rootOf(m), rootOf(n), consistencyProof(leafAt, m, n)),
      ([m, n]) => `${m} → ${n}`,
    );
    expect(bad).toEqual([]);
  });

  it('are empty from the empty tree or to the same size, and the RFC examples otherwise', () => {
    expect(consistencyProof(leafAt, 0, 7)).toEqual([]);
    expect(consistencyProof(leafAt, 7, 7)).toEqual([]);
    // RFC 6962 §2.1.3 examples over the leaves a..g: PROOF(3, D[7]) = [c, d, g, l]; PROOF(4, D[7]) = [l]; PROOF(6, D[7]) = [i, j, k].
    const h = (a: number, b: number) => subtreeHash(leafAt, a, b);
    expect(consistencyProof(leafAt, 3, 7)).toEqual([h(2, 3), h(3, 4), h(0, 2), h(4, 7)]);
    expect(consistencyProof(leafAt, 4, 7)).toEqual([h(4, 7)]);
    expect(consistencyProof(leafAt, 6, 7)).toEqual([h(4, 6), h(6, 7), h(0, 4)]);
  });

  it('fail once a bit is flipped or an element is dropped or added', () => {
    const bad: string[] = [];
    for (const [m, n] of pairs((n) => n, 1)) {
      const proof = consistencyProof(leafAt, m, n);
      for (const [what, mutated] of mutations(proof))
        if (verifyConsistency(m, n, rootOf(m), rootOf(n), mutated)) bad.push(`${m} → ${n}: ${what}`);
    }
    expect(bad).toEqual([]);
  });

  it('fail for another old or new root, or other sizes with their roots', () => {
    const bad: string[] = [];
    for (const [m, n] of pairs((n) => n, 1)) {
      const proof = consistencyProof(leafAt, m, n);
      for (let x = 0; x <= MAX + 1; x++) {
        if (x !== m && verifyConsistency(m, n, rootOf(x), rootOf(n), proof)) bad.push(`${m} → ${n}: old root of ${x}`);
        if (x !== n && verifyConsistency(m, n, rootOf(m), rootOf(x), proof)) bad.push(`${m} → ${n}: new root of ${x}`);
        if (x !== m && verifyConsistency(x, n, rootOf(x), rootOf(n), proof))
          bad.push(`${m} → ${n}: proves ${x} → ${n}`);
        if (x !== n && verifyConsistency(m, x, rootOf(m), rootOf(x), proof))
          bad.push(`${m} → ${n}: proves ${m} → ${x}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('fail for a tree that is not a prefix: one old leaf replaced', () => {
    const bad: string[] = [];
    for (const [m, n] of pairs((n) => n, 1)) {
      const forged = (i: number) => (i === m - 1 ? leafAt(MAX + 1) : leafAt(i));
      const forgedOld = subtreeHash(forged, 0, m);
      // Proved from the forged tree: its old root matches but the new root is the real one.
      if (verifyConsistency(m, n, forgedOld, rootOf(n), consistencyProof(forged, m, n))) bad.push(`${m} → ${n}`);
    }
    expect(bad).toEqual([]);
  });

  it('refuse sizes that shrink, and verification of the trivial cases checks the roots', () => {
    expect(() => consistencyProof(leafAt, 5, 4)).toThrow(RangeError);
    expect(verifyConsistency(5, 4, rootOf(5), rootOf(4), [])).toBe(false);
    expect(verifyConsistency(4, 4, rootOf(4), rootOf(4), [])).toBe(true);
    expect(verifyConsistency(4, 4, rootOf(3), rootOf(4), [])).toBe(false);
    expect(verifyConsistency(4, 4, rootOf(4), rootOf(4), [leafAt(0)])).toBe(false);
    expect(verifyConsistency(0, 4, EMPTY_ROOT, rootOf(4), [])).toBe(true);
    expect(verifyConsistency(0, 4, rootOf(1), rootOf(4), [])).toBe(false);
    expect(verifyConsistency(3, 4, rootOf(3), rootOf(4), [])).toBe(false);
  });
});

describe('proofs hashed from leaves read once, in order (RangeHasher)', () => {
  const streamed = (ranges: readonly LeafRange[], size: number): Buffer[] => {
    const hasher = new RangeHasher(ranges);
    for (let i = 0; i < size; i++) hasher.push(leafAt(i));
    return hasher.hashes();
  };
  const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex'));

  it('gives the same inclusion and consistency proofs as reading leaves by index, up to 40 leaves', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 0; m < n; m++)
        expect(hex(streamed(inclusionRanges(m, n), n))).toEqual(hex(inclusionProof(leafAt, m, n)));
      for (let m = 0; m <= n; m++)
        expect(hex(streamed(consistencyRanges(m, n), n))).toEqual(hex(consistencyProof(leafAt, m, n)));
    }
  });

  it('refuses to hash a range it has not read whole', () => {
    const hasher = new RangeHasher(inclusionRanges(0, 8)); // [1,2) [2,4) [4,8)
    for (let i = 0; i < 6; i++) hasher.push(leafAt(i));
    expect(() => hasher.hashes()).toThrow(RangeError);
  });
});
