/**
 * Tree heads over the real disclosure log, on both dialects: heads extend with new reads, and the
 * verification finds an edited row, a deleted row, a rewritten leaf hash and a forged head.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceDisclosureLogHead, startLogHeadJob, verifyDisclosureLog } from '../services/log-heads.js';
import type { OpenScenario } from '../test-support/scenario.js';
import { openScenario } from '../test-support/scenario.js';
import { readerOf } from '../test-support/orgs.js';
import { DIALECTS } from '../test-support/stores.js';
import { leafHash } from './disclosure-log.js';
import { latestLogHead } from './log-heads.js';

describe.each(DIALECTS)('disclosure log tree heads on %s', (dialect) => {
  let s: OpenScenario;
  beforeEach(async () => {
    s = await openScenario(dialect);
  });
  afterEach(() => s.dispose());

  /** A few reads by the scenario's trainer, each recorded by the gate. */
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
  const rows = async () => s.store.db.selectFrom('disclosures').select('seq').orderBy('seq').execute();

  it('extends the head with each batch of reads, and verifies clean', async () => {
    expect(await advanceDisclosureLogHead(s.ctx)).toBeNull(); // nothing read yet
    await reads(3);
    const first = await advanceDisclosureLogHead(s.ctx);
    expect(first?.treeSize).toBe(6);
    await reads(2);
    const second = await advanceDisclosureLogHead(s.ctx);
    expect(second).toMatchObject({ treeSize: 10 });
    expect(second?.rootHash).not.toBe(first?.rootHash);
    expect(await latestLogHead(s.store.db)).toEqual(second);
    expect(await advanceDisclosureLogHead(s.ctx)).toEqual(second); // no new row: the same head
    expect(await verifyDisclosureLog(s.ctx)).toEqual({ rows: 10, heads: 2, ok: true, problems: [] });
  });

  it('extends the tree in the background while Vigie serves', async () => {
    await reads(2);
    const errors: unknown[] = [];
    const stop = startLogHeadJob(s.ctx, (e) => errors.push(e), 20);
    try {
      await expect
        .poll(async () => (await latestLogHead(s.store.db))?.treeSize, { timeout: 5_000, interval: 25 })
        .toBe(4);
      await reads(1);
      await expect
        .poll(async () => (await latestLogHead(s.store.db))?.treeSize, { timeout: 5_000, interval: 25 })
        .toBe(6);
    } finally {
      stop();
    }
    expect(errors).toEqual([]);
  });

  it('finds a row whose fields were edited after the fact', async () => {
    await reads(3);
    await advanceDisclosureLogHead(s.ctx);
    const [, second] = await rows();
    await s.store.db.updateTable('disclosures').set({ fields: 'firstNames' }).where('seq', '=', second!.seq).execute();
    expect((await verifyDisclosureLog(s.ctx)).problems).toEqual([{ kind: 'leaf_altered', seq: second!.seq }]);
  });

  it('finds a row edited together with its leaf hash: the tree no longer matches the head', async () => {
    await reads(3);
    await advanceDisclosureLogHead(s.ctx);
    const [first] = await s.store.db.selectFrom('disclosures').selectAll().orderBy('seq').limit(1).execute();
    const { seq, leaf_hash: _old, ...record } = first!;
    const edited = { ...record, purpose: 'training_contact' };
    await s.store.db
      .updateTable('disclosures')
      .set({ purpose: edited.purpose, leaf_hash: leafHash(edited) })
      .where('seq', '=', seq)
      .execute();
    expect((await verifyDisclosureLog(s.ctx)).problems).toEqual([{ kind: 'head_mismatch', treeSize: 6 }]);
  });

  it('finds a deleted row', async () => {
    await reads(3);
    await advanceDisclosureLogHead(s.ctx);
    const all = await rows();
    await s.store.db.deleteFrom('disclosures').where('seq', '=', all[1]!.seq).execute();
    const v = await verifyDisclosureLog(s.ctx);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([{ kind: 'head_beyond_log', treeSize: 6 }]);
    await reads(1); // the log grows past the head again: now the root itself disagrees
    expect((await verifyDisclosureLog(s.ctx)).problems).toEqual([{ kind: 'head_mismatch', treeSize: 6 }]);
  });

  it('finds a head forged by someone who can write the database but has no key file', async () => {
    await reads(2);
    const head = await advanceDisclosureLogHead(s.ctx);
    await s.store.db
      .updateTable('log_heads')
      .set({ mac: Buffer.alloc(32, 7) })
      .where('tree_size', '=', head!.treeSize)
      .execute();
    expect((await verifyDisclosureLog(s.ctx)).problems).toEqual([{ kind: 'head_forged', treeSize: 4 }]);
  });
});
