/**
 * Inclusion and consistency proofs over the real disclosure log and its stored heads, on both
 * dialects: every row under the latest head proves, rows not yet under a head and unknown rows or
 * heads are refused with a stable code, and a tampered log or a forged head yields an error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceDisclosureLogHead, logHeadDeps } from '../services/log-heads.js';
import type { OpenScenario } from '../test-support/scenario.js';
import { openScenario } from '../test-support/scenario.js';
import { readerOf } from '../test-support/orgs.js';
import { DIALECTS } from '../test-support/stores.js';
import { leafHash } from './disclosure-log.js';
import type { LogProofDeps } from './log-proofs.js';
import { proveDisclosure, proveHeadConsistency } from './log-proofs.js';
import { latestLogHead } from './log-heads.js';
import { verifyConsistency, verifyInclusion } from './merkle-proofs.js';

const buf = (h: string) => Buffer.from(h, 'hex');

describe.each(DIALECTS)('disclosure log proofs on %s', (dialect) => {
  let s: OpenScenario;
  let deps: LogProofDeps;
  beforeEach(async () => {
    s = await openScenario(dialect);
    deps = logHeadDeps(s.ctx);
  });
  afterEach(() => s.dispose());

  /** A few reads by the scenario's trainer, each recorded by the gate (two rows each). */
  async function reads(n: number): Promise<void> {
    const t = s.scenario.accounts.trainer;
    const reader = readerOf('trainer', t.organisationId, { accountId: t.id });
    for (let i = 0; i < n; i++)
      await s.ctx.gate.disclose({
        reader: { ...reader, requestId: `r${i}` },
        purpose: 'training_followup',
        people: [s.scenario.people.p1.id, s.scenario.people.p2.id],
      });
  }
  const rows = async () => s.store.db.selectFrom('disclosures').select(['seq', 'leaf_hash']).orderBy('seq').execute();
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'no error',
      (e: { code?: string }) => e.code,
    );

  it('proves every row under the latest head against the stored root, and refuses the rows not yet under it', async () => {
    await reads(3);
    await advanceDisclosureLogHead(s.ctx);
    await reads(2);
    const head = await advanceDisclosureLogHead(s.ctx);
    expect(head?.treeSize).toBe(10);
    await reads(1); // two rows not yet under a head
    const all = await rows();
    for (const [i, r] of all.slice(0, 10).entries()) {
      const p = await proveDisclosure(deps, r.seq);
      expect(p).toMatchObject({
        seq: r.seq,
        leafIndex: i,
        treeSize: 10,
        root: head!.rootHash,
        leafHash: Buffer.from(r.leaf_hash).toString('hex'),
      });
      expect(verifyInclusion(Buffer.from(r.leaf_hash), i, 10, p.proof.map(buf), buf(head!.rootHash))).toBe(true);
      expect(verifyInclusion(Buffer.from(r.leaf_hash), (i + 1) % 10, 10, p.proof.map(buf), buf(head!.rootHash))).toBe(
        false,
      );
    }
    expect(await code(proveDisclosure(deps, all[10]!.seq))).toBe('AUDIT.NOT_UNDER_HEAD');
    await expect(proveDisclosure(deps, all[11]!.seq)).rejects.toThrow(/pas encore couverte/);
    await advanceDisclosureLogHead(s.ctx);
    expect(await proveDisclosure(deps, all[11]!.seq)).toMatchObject({ leafIndex: 11, treeSize: 12 });
  });

  it('counts a row’s leaf index by its position, not its seq, when the sequence has gaps', async () => {
    await reads(3);
    const before = await rows();
    await s.store.db.deleteFrom('disclosures').where('seq', 'in', [before[0]!.seq, before[2]!.seq]).execute(); // before any head: a gap, not tampering
    await advanceDisclosureLogHead(s.ctx);
    const p = await proveDisclosure(deps, before[3]!.seq);
    expect(p).toMatchObject({ seq: before[3]!.seq, leafIndex: 1, treeSize: 4 });
    expect(p.leafIndex).not.toBe(before[3]!.seq - before[0]!.seq);
  });

  it('refuses an unknown row, and any row before the first head', async () => {
    expect(await code(proveDisclosure(deps, 1))).toBe('AUDIT.DISCLOSURE_NOT_FOUND');
    await reads(1);
    const [first] = await rows();
    expect(await code(proveDisclosure(deps, first!.seq))).toBe('AUDIT.NOT_UNDER_HEAD');
    await advanceDisclosureLogHead(s.ctx);
    expect(await code(proveDisclosure(deps, first!.seq + 1000))).toBe('AUDIT.DISCLOSURE_NOT_FOUND');
    expect(await code(proveDisclosure(deps, first!.seq))).toBe('no error');
  });

  it('gives no proof from a tampered log: an edited row, a rewritten leaf hash, a deleted row', async () => {
    await reads(3);
    await advanceDisclosureLogHead(s.ctx);
    const [first, second, third] = await s.store.db
      .selectFrom('disclosures')
      .selectAll()
      .orderBy('seq')
      .limit(3)
      .execute();
    await s.store.db.updateTable('disclosures').set({ fields: 'firstNames' }).where('seq', '=', first!.seq).execute();
    expect(await code(proveDisclosure(deps, first!.seq))).toBe('AUDIT.LOG_TAMPERED');

    const { seq, leaf_hash: _old, ...record } = second!;
    const edited = { ...record, purpose: 'training_contact' };
    await s.store.db
      .updateTable('disclosures')
      .set({ purpose: edited.purpose, leaf_hash: leafHash(edited) })
      .where('seq', '=', seq)
      .execute();
    expect(await code(proveDisclosure(deps, seq))).toBe('AUDIT.LOG_TAMPERED'); // its own path no longer reaches the root
    expect(await code(proveDisclosure(deps, third!.seq))).toBe('AUDIT.LOG_TAMPERED'); // nor does a neighbour's

    await s.store.db.deleteFrom('disclosures').where('seq', '=', seq).execute();
    expect(await code(proveDisclosure(deps, third!.seq))).toBe('AUDIT.LOG_TAMPERED');
  });

  it('refuses a head whose MAC is forged', async () => {
    await reads(2);
    const head = await advanceDisclosureLogHead(s.ctx);
    const [first] = await rows();
    await s.store.db
      .updateTable('log_heads')
      .set({ mac: Buffer.alloc(32, 7) })
      .where('tree_size', '=', head!.treeSize)
      .execute();
    expect(await code(proveDisclosure(deps, first!.seq))).toBe('AUDIT.HEAD_FORGED');
    expect(await code(proveHeadConsistency(deps, head!.treeSize))).toBe('AUDIT.HEAD_FORGED');
  });

  it('proves each older head consistent with the latest, and refuses an unknown head', async () => {
    expect(await code(proveHeadConsistency(deps, 0))).toBe('AUDIT.HEAD_NOT_FOUND'); // no head at all
    const heads = [];
    for (const n of [1, 2, 3, 1]) {
      await reads(n);
      heads.push((await advanceDisclosureLogHead(s.ctx))!);
    }
    expect(heads.map((h) => h.treeSize)).toEqual([2, 6, 12, 14]);
    const latest = (await latestLogHead(s.store.db))!;
    for (const h of heads) {
      const p = await proveHeadConsistency(deps, h.treeSize);
      expect(p).toMatchObject({
        oldTreeSize: h.treeSize,
        oldRoot: h.rootHash,
        newTreeSize: 14,
        newRoot: latest.rootHash,
      });
      expect(verifyConsistency(h.treeSize, 14, buf(h.rootHash), buf(latest.rootHash), p.proof.map(buf))).toBe(true);
      const other = heads.find((o) => o.treeSize !== h.treeSize)!;
      expect(verifyConsistency(h.treeSize, 14, buf(other.rootHash), buf(latest.rootHash), p.proof.map(buf))).toBe(
        false,
      );
    }
    expect((await proveHeadConsistency(deps, 14)).proof).toEqual([]);
    expect(await code(proveHeadConsistency(deps, 7))).toBe('AUDIT.HEAD_NOT_FOUND');
  });

  it('gives no consistency proof once a row under an old head is rewritten with its leaf hash', async () => {
    await reads(2); // an old head of 4 rows: its proof to 8 skips the old subtree, the rows are checked against the root
    const old = await advanceDisclosureLogHead(s.ctx);
    await reads(2);
    await advanceDisclosureLogHead(s.ctx);
    const [first] = await s.store.db.selectFrom('disclosures').selectAll().orderBy('seq').limit(1).execute();
    const { seq, leaf_hash: _old, ...record } = first!;
    const edited = { ...record, fields: 'firstNames' };
    await s.store.db
      .updateTable('disclosures')
      .set({ fields: edited.fields, leaf_hash: leafHash(edited) })
      .where('seq', '=', seq)
      .execute();
    expect(await code(proveHeadConsistency(deps, old!.treeSize))).toBe('AUDIT.LOG_TAMPERED');
  });
});
