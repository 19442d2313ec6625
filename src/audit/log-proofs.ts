/**
 * Proofs over the disclosure log's stored tree heads.
 *
 * `proveDisclosure` proves that one row of the log (by `seq`) is under the latest head: its leaf
 * index is its position among the rows in `seq` order (sequences may have gaps), and the audit
 * path leads from its leaf hash to the head's root. `proveHeadConsistency` proves that an older
 * stored head is a prefix of the latest one: nothing below it was rewritten since.
 *
 * Both check the heads' MACs as `verifyLog` does, read the leaves below the latest head once, in
 * order (O(n) reads in the log's size, O(log n) memory: the proofs are built from the rows, not from
 * stored nodes), and verify the proof before returning it, so a tampered log yields an error, never
 * a proof that does not verify.
 */
import type { AppError } from '../domain/errors.js';
import { conflict, notFound } from '../domain/errors.js';
import type { DisclosureRecord } from './disclosure-log.js';
import { leafHash } from './disclosure-log.js';
import type { LogHeadDeps } from './log-heads.js';
import { headSealValid } from './log-heads.js';
import { MerkleFrontier } from './merkle.js';
import {
  consistencyRanges,
  inclusionRanges,
  RangeHasher,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proofs.js';

export type LogProofDeps = Pick<LogHeadDeps, 'db' | 'mac'>;

export interface DisclosureProof {
  readonly seq: number;
  /** Position of the row among the log's rows in `seq` order, from 0. */
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Hex, as `LogHead.rootHash`. */
  readonly root: string;
  readonly leafHash: string;
  /** RFC 6962 audit path, from the leaf's sibling up: hex hashes. */
  readonly proof: readonly string[];
}

export interface ConsistencyProof {
  readonly oldTreeSize: number;
  readonly oldRoot: string;
  readonly newTreeSize: number;
  readonly newRoot: string;
  /** RFC 6962 consistency proof: hex hashes. */
  readonly proof: readonly string[];
}

interface VerifiedHead {
  readonly treeSize: number;
  readonly lastSeq: number;
  readonly root: Buffer;
}

const LEAF_BATCH = 5_000;

const tampered = (): AppError =>
  conflict(
    'AUDIT.LOG_TAMPERED',
    'Le journal des divulgations ne correspond plus à sa tête d’arbre : lancez « vigie audit verify », conservez cette base en l’état et prévenez l’officier de sécurité.',
  );

async function headRow(deps: LogProofDeps, treeSize?: number): Promise<VerifiedHead | null> {
  let query = deps.db.selectFrom('log_heads').select(['tree_size', 'last_seq', 'root_hash', 'mac']);
  query = treeSize === undefined ? query.orderBy('tree_size', 'desc') : query.where('tree_size', '=', treeSize);
  const row = await query.limit(1).executeTakeFirst();
  if (!row) return null;
  const head = { treeSize: Number(row.tree_size), lastSeq: Number(row.last_seq), root: Buffer.from(row.root_hash) };
  if (!headSealValid(deps.mac, head, row.mac)) {
    throw conflict(
      'AUDIT.HEAD_FORGED',
      `La tête d’arbre à ${head.treeSize} divulgations porte un sceau faux (écrite sans le fichier de clés) : prévenez l’officier de sécurité.`,
    );
  }
  return head;
}

/**
 * Reads the leaf hashes of the rows under `head` once, in `seq` order, in batches: `visit` sees each
 * with its leaf index. The log is tampered if they are not exactly `head.treeSize`.
 */
async function scanLeaves(
  deps: LogProofDeps,
  head: VerifiedHead,
  visit: (leaf: Buffer, index: number, seq: number) => void,
): Promise<void> {
  let after = 0;
  let index = 0;
  for (;;) {
    const rows = await deps.db
      .selectFrom('disclosures')
      .select(['seq', 'leaf_hash'])
      .where('seq', '>', after)
      .where('seq', '<=', head.lastSeq)
      .orderBy('seq')
      .limit(LEAF_BATCH)
      .execute();
    for (const r of rows) {
      after = Number(r.seq);
      if (index < head.treeSize) visit(Buffer.from(r.leaf_hash), index, after);
      index++;
    }
    if (rows.length < LEAF_BATCH) break;
  }
  if (index !== head.treeSize) throw tampered();
}

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/** Proves that the disclosure `seq` is in the log under the latest stored head. */
export async function proveDisclosure(deps: LogProofDeps, seq: number): Promise<DisclosureProof> {
  const row = Number.isSafeInteger(seq)
    ? await deps.db.selectFrom('disclosures').selectAll().where('seq', '=', seq).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('AUDIT.DISCLOSURE_NOT_FOUND', `Aucune divulgation n° ${seq} dans le journal.`);
  const { seq: _seq, leaf_hash, ...record } = row;
  const leaf = Buffer.from(leaf_hash);
  if (!leafHash(record as DisclosureRecord).equals(leaf)) throw tampered();
  const head = await headRow(deps);
  if (!head)
    throw conflict(
      'AUDIT.NOT_UNDER_HEAD',
      `La divulgation n° ${seq} n’est pas encore couverte : le journal n’a aucune tête d’arbre. Lancez « vigie audit head ».`,
    );
  if (seq > head.lastSeq) {
    throw conflict(
      'AUDIT.NOT_UNDER_HEAD',
      `La divulgation n° ${seq} n’est pas encore couverte par une tête d’arbre (la dernière s’arrête au n° ${head.lastSeq}) : lancez « vigie audit head ».`,
    );
  }
  // The leaf's index (rows before it), then one pass over the log hashing the audit path's subtrees.
  const before = await deps.db
    .selectFrom('disclosures')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('seq', '<', seq)
    .executeTakeFirstOrThrow();
  const leafIndex = Number(before.n);
  if (leafIndex >= head.treeSize) throw tampered();
  const hasher = new RangeHasher(inclusionRanges(leafIndex, head.treeSize));
  let found = false;
  await scanLeaves(deps, head, (hash, index, rowSeq) => {
    hasher.push(hash);
    if (index === leafIndex) found = rowSeq === seq && hash.equals(leaf);
  });
  if (!found) throw tampered();
  const proof = hasher.hashes();
  if (!verifyInclusion(leaf, leafIndex, head.treeSize, proof, head.root)) throw tampered();
  return {
    seq,
    leafIndex,
    treeSize: head.treeSize,
    root: head.root.toString('hex'),
    leafHash: leaf.toString('hex'),
    proof: hex(proof),
  };
}

/** Proves that the stored head of `oldTreeSize` rows is a prefix of the latest stored head. */
export async function proveHeadConsistency(deps: LogProofDeps, oldTreeSize: number): Promise<ConsistencyProof> {
  const latest = await headRow(deps);
  const old = latest && Number.isSafeInteger(oldTreeSize) ? await headRow(deps, oldTreeSize) : null;
  if (!latest || !old)
    throw notFound('AUDIT.HEAD_NOT_FOUND', `Aucune tête d’arbre enregistrée à ${oldTreeSize} divulgations.`);
  // One pass: the proof's subtrees, and the whole tree, since the proof may skip the old tree whole
  // (an old size of 2^k) while the rows must still make the latest root.
  const hasher = new RangeHasher(consistencyRanges(old.treeSize, latest.treeSize));
  const whole = new MerkleFrontier();
  await scanLeaves(deps, latest, (hash) => {
    hasher.push(hash);
    whole.append(hash);
  });
  if (!whole.root().equals(latest.root)) throw tampered();
  const proof = hasher.hashes();
  if (!verifyConsistency(old.treeSize, latest.treeSize, old.root, latest.root, proof)) throw tampered();
  return {
    oldTreeSize: old.treeSize,
    oldRoot: old.root.toString('hex'),
    newTreeSize: latest.treeSize,
    newRoot: latest.root.toString('hex'),
    proof: hex(proof),
  };
}
