import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, MerkleFrontier } from './merkle.js';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 §2.1 MTH, written directly from the definition: split at the largest power of two below n. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe('RFC 6962 Merkle tree heads, incrementally', () => {
  it('matches the recursive definition for every size from 0 to 70', () => {
    const leaves = Array.from({ length: 70 }, () => sha(Buffer.from([0]), randomBytes(20)));
    const frontier = new MerkleFrontier();
    expect(frontier.root()).toEqual(EMPTY_ROOT);
    leaves.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.size).toBe(i + 1);
      expect(frontier.root().toString('hex')).toBe(mth(leaves.slice(0, i + 1)).toString('hex'));
    });
  });

  it('resumes from its serialised form exactly where it stopped', () => {
    const leaves = Array.from({ length: 45 }, () => randomBytes(32));
    const whole = new MerkleFrontier();
    leaves.forEach((l) => whole.append(l));
    const first = new MerkleFrontier();
    leaves.slice(0, 29).forEach((l) => first.append(l));
    const resumed = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(first)));
    leaves.slice(29).forEach((l) => resumed.append(l));
    expect(resumed.root()).toEqual(whole.root());
    expect(resumed.size).toBe(45);
    expect(() => MerkleFrontier.fromJSON(['3:zz'])).toThrow();
  });
});
