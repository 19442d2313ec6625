import { describe, expect, it } from 'vitest';
import { createGate } from '../src/disclosure/gate.js';
import type { Reader } from '../src/disclosure/reader.js';
import { manualClock } from '../src/domain/clock.js';
import type { Purpose } from '../src/domain/purposes.js';
import { enrol, insertOrganisation, readerOf } from '../src/test-support/orgs.js';
import { insertJobSeekers, sampleJobSeeker, testKeyring } from '../src/test-support/people.js';
import { DIALECTS, openTestStore } from '../src/test-support/stores.js';

/** A small deterministic PRNG (mulberry32) so that a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(DIALECTS)('every disclosure is recorded, exactly, on %s', (dialect) => {
  it('random request sequences: records == people disclosed, per request', async () => {
    const store = await openTestStore(dialect);
    try {
      const keys = testKeyring();
      const clock = manualClock(Date.UTC(2026, 10, 2, 9));
      const gate = createGate({ store, keys, clock });
      const agency = await insertOrganisation(store.db, 'agency');
      const training = await insertOrganisation(store.db, 'training');
      const adviser = readerOf('adviser', agency);
      const people = Array.from({ length: 40 }, (_, i) =>
        sampleJobSeeker(agency, { adviserId: i % 2 === 0 ? adviser.accountId : null }),
      );
      await insertJobSeekers(store.db, keys, people);
      for (const p of people.slice(0, 15)) await enrol(store.db, training, p.id, adviser.accountId);

      const candidates: Array<{ reader: Reader; purpose: Purpose; reason?: string }> = [
        { reader: readerOf('trainer', training), purpose: 'training_followup' },
        { reader: readerOf('trainer', training), purpose: 'training_contact' },
        { reader: adviser, purpose: 'portfolio_followup' },
        { reader: adviser, purpose: 'agency_lookup', reason: 'Rendez-vous de suivi mensuel' },
        { reader: readerOf('recruiter', null), purpose: 'candidate_search' },
        { reader: readerOf('job_seeker', null, { personId: people[3]!.id }), purpose: 'self_service' },
      ];
      const ids = [...people.map((p) => p.id), 'ffffffff-0000-4000-8000-000000000000'];
      const random = prng(20261122);
      const expected = new Map<string, string[]>();
      for (let i = 0; i < 150; i++) {
        const c = candidates[Math.floor(random() * candidates.length)]!;
        const reader = { ...c.reader, requestId: `req-${i}` };
        const asked = Array.from(
          { length: 1 + Math.floor(random() * 12) },
          () => ids[Math.floor(random() * ids.length)]!,
        );
        clock.advance(1000);
        const got = await gate.disclose({
          reader,
          purpose: c.purpose,
          people: asked,
          ...(c.reason ? { reason: c.reason } : {}),
        });
        expected.set(reader.requestId, got.map((p) => p.id).sort());
      }
      const rows = await store.db.selectFrom('disclosures').select(['request_id', 'person_id', 'fields']).execute();
      const recorded = new Map<string, string[]>();
      for (const r of rows) recorded.set(r.request_id, [...(recorded.get(r.request_id) ?? []), r.person_id]);
      for (const list of recorded.values()) list.sort();
      const nonEmpty = new Map([...expected].filter(([, v]) => v.length > 0));
      expect(nonEmpty.size).toBeGreaterThan(50);
      expect(recorded).toEqual(nonEmpty);
      expect(rows.length).toBe([...expected.values()].reduce((n, v) => n + v.length, 0));
    } finally {
      await store.dispose();
    }
  });
});
