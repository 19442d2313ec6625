import type { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';
import type { QueryRunner } from './atomic.js';

/**
 * The hot path's transaction primitive (the gate's): on SQLite concurrent units share one commit,
 * each rolling back alone; on PostgreSQL each unit is its own transaction. Same guarantees on both.
 */
describe.each(DIALECTS)('store.atomic on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(() => store.dispose());
  beforeEach(async () => {
    await store.db.deleteFrom('security_events').execute();
  });

  const event = (kind: string | null): CompiledQuery =>
    store.db
      .insertInto('security_events')
      .values({ at: 1, kind: kind as string, account_id: null, source_ip: null, details: '{}' })
      .compile();
  const kinds = async () =>
    (await store.db.selectFrom('security_events').select('kind').orderBy('kind').execute()).map((r) => r.kind);
  const count = (q: QueryRunner) =>
    q.rows(
      store.db
        .selectFrom('security_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .compile(),
    );

  it('commits concurrent units and answers each with its own value', async () => {
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((k) =>
        store.atomic(async (q) => {
          await q.run(event(`${k}1`));
          q.runLast(event(`${k}2`));
          return k;
        }),
      ),
    );
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    expect(await kinds()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'd1', 'd2']);
  });

  it('rolls back a unit that fails after writing, and only that unit', async () => {
    const outcomes = await Promise.allSettled([
      store.atomic(async (q) => q.run(event('kept-before'))),
      store.atomic(async (q) => {
        await q.run(event('undone'));
        q.runLast(event('never'));
        throw new Error('refused');
      }),
      store.atomic(async (q) => q.runLast(event('kept-after'))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await kinds()).toEqual(['kept-after', 'kept-before']);
  });

  it('leaves nothing of a unit whose last write fails, alone or after another last write', async () => {
    const outcomes = await Promise.allSettled([
      store.atomic(async (q) => q.runLast(event(null))), // NOT NULL violated: the only write
      store.atomic(async (q) => {
        q.runLast(event('undone-too'));
        q.runLast(event(null)); // the second of two last writes fails: the first goes too
      }),
      store.atomic(async (q) => q.runLast(event('kept'))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(await kinds()).toEqual(['kept']);
  });

  it('runs the last writes after the work, which does not see them', async () => {
    const seen = await store.atomic(async (q) => {
      q.runLast(event('later'));
      return count(q);
    });
    expect(Number(seen[0]?.n)).toBe(0);
    expect(await kinds()).toEqual(['later']);
  });
});
