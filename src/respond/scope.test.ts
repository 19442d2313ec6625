import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExposureCategory } from '../domain/incidents.js';
import { categoriesOf, EXPOSURE_CATEGORIES } from '../domain/incidents.js';
import type { Purpose } from '../domain/purposes.js';
import type { Reader } from '../disclosure/reader.js';
import { incidentPeoplePage } from '../storage/scope-repo.js';
import type { ScopedPerson } from '../storage/scope-repo.js';
import type { RespondWorld } from '../test-support/respond-fixtures.js';
import { HOUR, openRespondWorld, RESPOND_START, rid, seeded } from '../test-support/respond-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { openIncident, showIncident } from './incidents.js';
import { scopeIncident } from './scope.js';

const DAY = 24 * HOUR;

interface Delivered {
  readonly accountId: string;
  readonly sessionRef: string;
  readonly at: number;
  readonly purpose: Purpose;
  readonly people: ReadonlyArray<{ id: string; fields: string[] }>;
}

interface Criteria {
  readonly accounts: readonly string[];
  readonly sessions: ReadonlyArray<{ accountId: string; sessionRef: string }>;
  readonly from: number;
  readonly to: number | null;
}

/** What the gate returned, replayed against the incident's criteria: the scope it must find. */
function groundTruth(log: readonly Delivered[], c: Criteria): Map<string, Omit<ScopedPerson, 'firstSeq' | 'lastSeq'>> {
  const out = new Map<string, { fields: Set<string>; purposes: Set<string>; first: number; last: number; n: number }>();
  for (const d of log) {
    const who =
      c.accounts.includes(d.accountId) ||
      c.sessions.some((s) => s.accountId === d.accountId && s.sessionRef === d.sessionRef);
    if (!who || d.at < c.from || (c.to !== null && d.at >= c.to)) continue;
    for (const p of d.people) {
      const e = out.get(p.id) ?? { fields: new Set(), purposes: new Set(), first: d.at, last: d.at, n: 0 };
      p.fields.forEach((f) => e.fields.add(f));
      e.purposes.add(d.purpose);
      e.first = Math.min(e.first, d.at);
      e.last = Math.max(e.last, d.at);
      e.n += 1;
      out.set(p.id, e);
    }
  }
  return new Map(
    [...out].map(([id, e]) => {
      const fields = [...e.fields].sort();
      const categories = categoriesOf(fields);
      return [
        id,
        {
          personId: id,
          fields,
          purposes: [...e.purposes].sort(),
          firstAt: e.first,
          lastAt: e.last,
          disclosures: e.n,
          identifying: categories.length > 0,
          categories,
        },
      ];
    }),
  );
}

async function randomTraffic(w: RespondWorld, seed: number, requests: number): Promise<Delivered[]> {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const readers = [
    { account: w.accounts.trainer1, sessions: ['t1-a', 't1-b'], purposes: ['training_followup', 'training_contact'] },
    { account: w.accounts.trainer2, sessions: ['t2-a'], purposes: ['training_followup', 'training_contact'] },
    { account: w.accounts.partner, sessions: ['p-a', 'p-b'], purposes: ['co_management'] },
  ] as const;
  const log: Delivered[] = [];
  // The last three people are read only once each, masked: in scope, with no identifying field.
  const pool = w.people.slice(0, -3);
  const maskedOnly = w.people.slice(-3);
  for (let i = 0; i < requests + 3; i++) {
    const last = i >= requests;
    const r = last ? readers[i - requests]! : pick(readers);
    const sessionRef = last ? r.sessions[0] : pick(r.sessions);
    const purpose = pick(r.purposes) as Purpose;
    const people = last
      ? [maskedOnly[i - requests]!]
      : Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(pool));
    w.clock.set(RESPOND_START + (last ? 3 * DAY : Math.floor(random() * 10 * DAY)));
    w.maskShare = last ? 1 : 0.3;
    const reader: Reader = {
      accountId: r.account.id,
      role: r.account.role,
      organisationId: r.account.organisationId,
      organisationKind: null,
      personId: null,
      sessionRef,
      sourceIp: '192.0.2.10',
      requestId: rid(),
      assurance: 'mfa',
    };
    const disclosed = await w.gate.disclose({ reader, purpose, people });
    log.push({
      accountId: r.account.id,
      sessionRef,
      at: w.clock.now(),
      purpose,
      people: disclosed.map((p) => ({ id: p.id, fields: Object.keys(p.fields) })),
    });
  }
  w.clock.set(RESPOND_START + 12 * DAY);
  return log;
}

async function allPeople(w: RespondWorld, incidentId: string): Promise<ScopedPerson[]> {
  const out: ScopedPerson[] = [];
  for (;;) {
    const page = await incidentPeoplePage(w.store.db, incidentId, out.at(-1)?.personId ?? null, 7);
    out.push(...page);
    if (page.length < 7) return out;
  }
}

const officer = (w: RespondWorld) => ({ accountId: w.accounts.officer.id, sourceIp: '192.0.2.1' });

describe.each(DIALECTS)('incident scope equals the ground truth (%s)', (dialect) => {
  let w: RespondWorld;
  let log: Delivered[];
  beforeAll(async () => {
    w = await openRespondWorld(dialect, 30, 7);
    log = await randomTraffic(w, 11, 160);
  }, 60_000);
  afterAll(() => w.dispose());

  const variants: Array<[string, (w: RespondWorld) => Criteria & { organisationId?: string }]> = [
    [
      'one account, a bounded window',
      (w) => ({
        accounts: [w.accounts.trainer1.id],
        sessions: [],
        from: RESPOND_START + 2 * DAY,
        to: RESPOND_START + 7 * DAY,
      }),
    ],
    [
      'a single session and another account, open-ended',
      (w) => ({
        accounts: [w.accounts.trainer2.id],
        sessions: [{ accountId: w.accounts.partner.id, sessionRef: 'p-a' }],
        from: RESPOND_START + DAY,
        to: null,
      }),
    ],
    [
      'a partner channel',
      (w) => ({
        accounts: [w.accounts.trainer1.id, w.accounts.trainer2.id],
        sessions: [],
        from: RESPOND_START,
        to: RESPOND_START + 5 * DAY,
        organisationId: w.orgs.training,
      }),
    ],
  ];

  it.each(variants)('%s', async (_name, make) => {
    const c = make(w);
    const channel = c.organisationId !== undefined;
    const incident = await openIncident(w.deps, officer(w), {
      title: 'Identifiant d’organisme compromis',
      source: { kind: 'manual', id: null },
      credentials: channel
        ? []
        : [...c.accounts.map((accountId) => ({ accountId })), ...c.sessions.map((s) => ({ ...s }))],
      organisationId: c.organisationId ?? null,
      windowFrom: c.from,
      windowTo: c.to,
    });
    const scope = await scopeIncident(w.deps, officer(w), incident.id);
    const expected = groundTruth(log, c);
    const found = await allPeople(w, incident.id);
    expect(found.map(({ firstSeq: _f, lastSeq: _l, ...p }) => ({ ...p, fields: [...p.fields].sort() }))).toEqual(
      [...expected.values()].sort((a, b) => (a.personId < b.personId ? -1 : 1)),
    );
    expect(expected.size).toBeGreaterThan(3);
    expect([...expected.values()].some((p) => !p.identifying)).toBe(true); // masked-only people are in it
    expect(scope.totals.people).toBe(expected.size);
    expect(scope.totals.identifyingPeople).toBe([...expected.values()].filter((p) => p.identifying).length);
    expect(scope.totals.rows).toBe([...expected.values()].reduce((n, p) => n + p.disclosures, 0));
    for (const cat of EXPOSURE_CATEGORIES as readonly ExposureCategory[])
      expect(scope.totals.byCategory[cat]).toBe(
        [...expected.values()].filter((p) => p.categories.includes(cat)).length,
      );
    // Every counted row is under the sealed head the scope names.
    expect(Math.max(...found.map((p) => p.lastSeq))).toBeLessThanOrEqual(scope.head.lastSeq);
    expect(scope.head.treeSize).toBeGreaterThanOrEqual(scope.totals.rows);
    const view = await showIncident(w.deps, incident.id);
    expect(view.incident.status).toBe('scoped');
    expect(view.events.map((e) => e.action)).toEqual(['opened', 'scoped']);
  });

  it('counts people by kind of organisation when readers of two kinds are named', async () => {
    const c = variants[1]![1](w);
    const incident = await openIncident(w.deps, officer(w), {
      title: 'Deux identifiants compromis',
      source: { kind: 'manual', id: null },
      credentials: [{ accountId: w.accounts.trainer2.id }, { accountId: w.accounts.partner.id, sessionRef: 'p-a' }],
      windowFrom: c.from,
    });
    const scope = await scopeIncident(w.deps, officer(w), incident.id);
    const training = groundTruth(log, { ...c, sessions: [] });
    const partner = groundTruth(log, { ...c, accounts: [] });
    expect(scope.totals.byOrganisationKind).toEqual({
      training: { people: training.size, identifying: [...training.values()].filter((p) => p.identifying).length },
      cap_emploi: { people: partner.size, identifying: [...partner.values()].filter((p) => p.identifying).length },
    });
  });
});
