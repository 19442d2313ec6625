/**
 * RFC 6962 (Certificate Transparency) Merkle tree hashing over the disclosure log's leaf hashes.
 *
 * `MerkleFrontier` is the compact form of a tree of n leaves: the roots of the perfect subtrees that
 * n's binary decomposition cuts [0, n) into, largest first (at most 64 hashes). Appending a leaf
 * merges equal-sized subtrees; the tree head (MTH, RFC 6962 §2.1) folds them from the right. So a
 * head is extended with only the new leaves, never recomputed from the first row, and the frontier
 * is what a stored head keeps to be extended later.
 */
import { createHash } from 'node:crypto';

const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x01 || left || right): an interior node. */
export const nodeHash = (left: Buffer, right: Buffer): Buffer =>
  createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();

/** MTH of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = createHash('sha256').digest();

export interface FrontierEntry {
  readonly size: number;
  readonly hash: Buffer;
}

export class MerkleFrontier {
  #entries: FrontierEntry[];
  #size: number;

  constructor(entries: readonly FrontierEntry[] = []) {
    this.#entries = [...entries];
    this.#size = entries.reduce((n, e) => n + e.size, 0);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (already SHA-256(0x00 || leaf)). */
  append(leaf: Buffer): void {
    let entry: FrontierEntry = { size: 1, hash: leaf };
    let last = this.#entries.at(-1);
    while (last && last.size === entry.size) {
      this.#entries.pop();
      entry = { size: last.size * 2, hash: nodeHash(last.hash, entry.hash) };
      last = this.#entries.at(-1);
    }
    this.#entries.push(entry);
    this.#size += 1;
  }

  /** The tree head of the leaves appended so far. */
  root(): Buffer {
    const entries = this.#entries;
    if (entries.length === 0) return EMPTY_ROOT;
    let root = entries[entries.length - 1]!.hash;
    for (let i = entries.length - 2; i >= 0; i--) root = nodeHash(entries[i]!.hash, root);
    return root;
  }

  /** Serialisable form: "size:hex" entries. */
  toJSON(): string[] {
    return this.#entries.map((e) => `${e.size}:${e.hash.toString('hex')}`);
  }

  static fromJSON(value: unknown): MerkleFrontier {
    if (!Array.isArray(value)) throw new TypeError('frontier: not an array');
    return new MerkleFrontier(
      value.map((item) => {
        const match = typeof item === 'string' ? /^(\d+):([0-9a-f]{64})$/.exec(item) : null;
        if (!match) throw new TypeError('frontier: malformed entry');
        return { size: Number(match[1]), hash: Buffer.from(match[2]!, 'hex') };
      }),
    );
  }
}
