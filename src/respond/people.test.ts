import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reader } from '../disclosure/reader.js';
import { breachReader } from '../services/breach-reader.js';
import type { RespondWorld } from '../test-support/respond-fixtures.js';
import { HOUR, openRespondWorld, RESPOND_START, rid } from '../test-support/respond-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { closeIncident, openIncident } from './incidents.js';
import { readScopePage } from './people.js';
import { scopeIncident } from './scope.js';

const readerOf = (w: RespondWorld, account: RespondWorld['accounts']['trainer1']): Reader => ({
  accountId: account.id,
  role: account.role,
  organisationId: account.organisationId,
  organisationKind: null,
  personId: null,
  sessionRef: 's-1',
  sourceIp: '192.0.2.7',
  requestId: rid(),
  assurance: 'mfa',
});

describe.each(DIALECTS)('the people of a scope, read through the gate (%s)', (dialect) => {
  let w: RespondWorld;
  beforeAll(async () => {
    w = await openRespondWorld(dialect, 12);
  });
  afterAll(() => w.dispose());

  it('names only the people in scope, records each read, and nobody once the incident is closed', async () => {
    const read = w.people.slice(0, 5);
    w.clock.set(RESPOND_START + HOUR);
    await w.gate.disclose({ reader: readerOf(w, w.accounts.trainer1), purpose: 'training_followup', people: read });
    w.clock.set(RESPOND_START + 5 * HOUR);
    const actor = { accountId: w.accounts.officer.id, sourceIp: '192.0.2.1' };
    const incident = await openIncident(w.deps, actor, {
      title: 'Identifiant compromis',
      source: { kind: 'manual', id: null },
      credentials: [{ accountId: w.accounts.trainer1.id }],
      windowFrom: RESPOND_START,
    });
    await scopeIncident(w.deps, actor, incident.id);
    const officer = readerOf(w, w.accounts.officer);
    const reader = breachReader({ store: w.store, keys: w.keys, clock: w.clock }, officer);
    const page = await readScopePage(w.deps, actor, reader, { incidentId: incident.id, after: null, limit: 3 });
    expect(page.people).toHaveLength(3);
    expect(page.people.every((p) => p.name !== null && p.name.lastName.startsWith('Testnom'))).toBe(true);
    const rest = await readScopePage(w.deps, actor, reader, { incidentId: incident.id, after: page.next, limit: 3 });
    expect([...page.people, ...rest.people].map((p) => p.personId).sort()).toEqual([...read].sort());
    expect(rest.next).toBeNull();
    const records = await w.store.db
      .selectFrom('disclosures')
      .select(['person_id', 'fields'])
      .where('reader_id', '=', officer.accountId)
      .where('purpose', '=', 'breach_response')
      .execute();
    expect(records.map((r) => r.person_id).sort()).toEqual([...read].sort());
    expect(records.every((r) => r.fields === 'identifier,civility,lastName,firstNames')).toBe(true);
    // Someone outside every scope is never disclosed, even asked for by id.
    expect(await reader([w.people[9]!], ['lastName'])).toEqual([]);
    await closeIncident(w.deps, actor, incident.id, 'Toutes les personnes ont été informées.');
    expect(await reader(read, ['lastName'])).toEqual([]);
  });

  it('refuses any other role', () => {
    expect(() =>
      breachReader({ store: w.store, keys: w.keys, clock: w.clock }, readerOf(w, w.accounts.trainer1)),
    ).toThrow('officier');
  });
});
