/**
 * Tree heads of the disclosure log, and their verification.
 *
 * `advanceLogHead` extends the latest head with the rows appended since, in `seq` order, and stores
 * the new head with a MAC (the caller's key: see services/log-heads.ts). It must see every row
 * below the new head: on PostgreSQL, rows are numbered when inserted but become visible when their
 * transaction commits, so the head takes a SHARE lock on the log, which waits for the transactions
 * writing it and holds new ones back for the few milliseconds the hashing takes; on SQLite the
 * single writer commits in `seq` order.
 *
 * `verifyLog` recomputes everything from the rows: each row's leaf hash from its values (an edited
 * row), the tree at each stored head's size (a deleted, inserted or reordered row, or a rewritten
 * leaf hash), and each head's MAC (a forged head).
 */
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../storage/database.js';
import type { DisclosureRecord } from './disclosure-log.js';
import { leafHash } from './disclosure-log.js';
import { MerkleFrontier } from './merkle.js';

export interface LogHeadDeps {
  readonly db: Db;
  readonly clock: { now(): number };
  /** MAC of a head's canonical text (services/log-heads.ts: HMAC under a vault service key). */
  readonly mac: (message: string) => Buffer;
  readonly dialect: 'sqlite' | 'postgres';
}

export interface LogHead {
  readonly treeSize: number;
  readonly lastSeq: number;
  readonly rootHash: string;
  readonly createdAt: number;
}

/** At most this many rows are hashed under one lock; `advanceLogHead` loops. */
export const HEAD_BATCH = 20_000;

/** What the MAC covers. */
export const headText = (treeSize: number, lastSeq: number, root: Buffer): string =>
  `vigie/log-head/v1\0${treeSize}\0${lastSeq}\0${root.toString('hex')}`;

/** Whether a stored head's MAC is the one the key gives its size, last row and root (constant time). */
export function headSealValid(
  mac: LogHeadDeps['mac'],
  head: { readonly treeSize: number; readonly lastSeq: number; readonly root: Buffer },
  stored: Uint8Array,
): boolean {
  const expected = mac(headText(head.treeSize, head.lastSeq, head.root));
  return stored.length === expected.length && timingSafeEqual(stored, expected);
}

const toHead = (r: { tree_size: number; last_seq: number; root_hash: Buffer; created_at: number }): LogHead => ({
  treeSize: Number(r.tree_size),
  lastSeq: Number(r.last_seq),
  rootHash: Buffer.from(r.root_hash).toString('hex'),
  createdAt: Number(r.created_at),
});

export async function latestLogHead(db: Db): Promise<LogHead | null> {
  const row = await db
    .selectFrom('log_heads')
    .select(['tree_size', 'last_seq', 'root_hash', 'created_at'])
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toHead(row) : null;
}

/** Extends the log's tree with every row appended since the latest head; returns the new head (or the latest, if nothing was appended). */
export async function advanceLogHead(deps: LogHeadDeps): Promise<LogHead | null> {
  for (;;) {
    const step = await deps.db.transaction().execute(async (tx) => {
      if (deps.dialect === 'postgres') await sql`LOCK TABLE disclosures IN SHARE MODE`.execute(tx);
      const last = await tx
        .selectFrom('log_heads')
        .selectAll()
        .orderBy('tree_size', 'desc')
        .limit(1)
        .executeTakeFirst();
      const frontier = last ? MerkleFrontier.fromJSON(JSON.parse(last.frontier)) : new MerkleFrontier();
      const after = last ? Number(last.last_seq) : 0;
      const rows = await tx
        .selectFrom('disclosures')
        .select(['seq', 'leaf_hash'])
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(HEAD_BATCH)
        .execute();
      if (rows.length === 0) return { head: last ? toHead(last) : null, more: false };
      for (const r of rows) frontier.append(Buffer.from(r.leaf_hash));
      const root = frontier.root();
      const lastSeq = Number(rows[rows.length - 1]!.seq);
      const row = {
        tree_size: frontier.size,
        last_seq: lastSeq,
        root_hash: root,
        frontier: JSON.stringify(frontier),
        created_at: deps.clock.now(),
        mac: deps.mac(headText(frontier.size, lastSeq, root)),
      };
      await tx.insertInto('log_heads').values(row).execute();
      return { head: toHead(row), more: rows.length === HEAD_BATCH };
    });
    if (!step.more) return step.head;
  }
}

export type LogProblem =
  | { readonly kind: 'leaf_altered'; readonly seq: number }
  | { readonly kind: 'head_mismatch'; readonly treeSize: number }
  | { readonly kind: 'head_forged'; readonly treeSize: number }
  | { readonly kind: 'head_beyond_log'; readonly treeSize: number };

export interface LogVerification {
  readonly rows: number;
  readonly heads: number;
  readonly ok: boolean;
  /** The first problems found (at most 100). */
  readonly problems: readonly LogProblem[];
}

const MAX_PROBLEMS = 100;

/** Recomputes the log from its rows and checks every row's leaf hash and every stored head. */
export async function verifyLog(deps: Pick<LogHeadDeps, 'db' | 'mac'>, batch = 5_000): Promise<LogVerification> {
  const heads = await deps.db
    .selectFrom('log_heads')
    .select(['tree_size', 'last_seq', 'root_hash', 'mac'])
    .orderBy('tree_size')
    .execute();
  const problems: LogProblem[] = [];
  const report = (p: LogProblem) => void (problems.length < MAX_PROBLEMS && problems.push(p));
  const frontier = new MerkleFrontier();
  let next = 0;
  const checkHeadsAt = (size: number) => {
    while (next < heads.length && Number(heads[next]!.tree_size) === size) {
      const h = heads[next++]!;
      const root = Buffer.from(h.root_hash);
      if (!frontier.root().equals(root)) report({ kind: 'head_mismatch', treeSize: size });
      if (!headSealValid(deps.mac, { treeSize: size, lastSeq: Number(h.last_seq), root }, h.mac))
        report({ kind: 'head_forged', treeSize: size });
    }
  };
  let after = 0;
  for (;;) {
    const rows = await deps.db
      .selectFrom('disclosures')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(batch)
      .execute();
    for (const r of rows) {
      const { seq, leaf_hash, ...record } = r;
      const stored = Buffer.from(leaf_hash);
      if (!leafHash(record as DisclosureRecord).equals(stored)) report({ kind: 'leaf_altered', seq: Number(seq) });
      frontier.append(stored);
      checkHeadsAt(frontier.size);
      after = Number(seq);
    }
    if (rows.length < batch) break;
  }
  for (; next < heads.length; next++) report({ kind: 'head_beyond_log', treeSize: Number(heads[next]!.tree_size) });
  return { rows: frontier.size, heads: heads.length, ok: problems.length === 0, problems };
}
