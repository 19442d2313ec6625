/**
 * The authorisation matrix: every account of the scenario (one or more per role) × every read
 * endpoint of the OpenAPI document × every person (related and unrelated). The oracle below is
 * written by hand from the relationships of scenario.ts, independently of the policies.
 * Zero unauthorised disclosures: neither in the log nor in any response body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHttpScenario } from '../src/test-support/http-scenario.js';
import type { HttpScenario } from '../src/test-support/http-scenario.js';
import type { Scenario } from '../src/test-support/scenario.js';
import { DIALECTS } from '../src/test-support/stores.js';

type AccountKey = keyof Scenario['accounts'];
type PersonKey = keyof Scenario['people'];
const PEOPLE: PersonKey[] = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

/** Whose identifying data each account may ever receive (any purpose). Recruiters: nobody's. */
const MAY_IDENTIFY: Record<AccountKey, PersonKey[]> = {
  trainer: ['p1', 'p2'], // enrolled at `training`; p4 exited more than 3 months ago
  otherTrainer: ['p3'],
  adviser1: ['p1', 'p2', 'p3', 'p4', 'p5'], // portfolio p1, p2; the agency with a stated reason
  adviser2: ['p1', 'p2', 'p3', 'p4', 'p5'],
  otherAdviser: ['p6'],
  partner: ['p2'], // co-management of p3 has ended
  recruiter: [],
  seeker1: ['p1'],
  seeker5: ['p5'],
};
/** People whose pseudonymised profile (no identifying field) a recruiter may receive: registered ones. */
const RECRUITER_PROFILES: PersonKey[] = ['p1', 'p2', 'p3', 'p5', 'p6'];
const PSEUDONYMISED_FIELDS = new Set(['departement', 'educationLevel', 'drivingLicences', 'vehicle', 'romeCodes']);

interface Operation {
  method: string;
  path: string;
  query: Array<{ name: string; required: boolean; enum?: string[] }>;
}

function readOperations(doc: {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Array<{ in: string; name: string; required?: boolean; schema?: { enum?: string[] } }> }
    >
  >;
}): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => method === 'get')
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            required: p.required ?? false,
            ...(p.schema?.enum ? { enum: p.schema.enum } : {}),
          })),
      })),
  );
}

describe.each(DIALECTS)('authorisation matrix on %s', (dialect) => {
  let h: HttpScenario;
  let operations: Operation[];
  const headers = new Map<AccountKey, Record<string, string>>();

  beforeAll(async () => {
    h = await openHttpScenario(dialect);
    for (const key of Object.keys(h.scenario.accounts) as AccountKey[])
      headers.set(key, await h.as(h.scenario.accounts[key]));
    operations = readOperations((await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json());
  });
  afterAll(() => h.dispose());

  /** Every concrete URL to try for an operation: each person, each session, each purpose. */
  function urlsFor(op: Operation): string[] {
    const s = h.scenario;
    let paths = [op.path];
    const expand = (param: string, values: string[]) => {
      paths = paths.flatMap((p) => (p.includes(`{${param}}`) ? values.map((v) => p.replace(`{${param}}`, v)) : [p]));
    };
    expand('personId', [...PEOPLE.map((p) => s.people[p].id), '00000000-0000-4000-8000-000000000000']);
    expand('id', Object.values(s.sessions));
    expand('ref', ['0123456789ab']);
    const queries: string[][] = [[]];
    const fill: Record<string, string[]> = {
      reason: ['Rendez-vous de suivi du demandeur'],
      identifier: PEOPLE.map((p) => s.people[p].identifier),
      rome: ['M1805'],
      departement: ['75'],
      pageSize: ['50'],
    };
    let all = queries;
    for (const q of op.query) {
      const values = q.enum ?? fill[q.name];
      if (!values) continue;
      all = all.flatMap((prefix) => values.map((v) => [...prefix, `${q.name}=${encodeURIComponent(v)}`]));
    }
    return paths.flatMap((p) => all.map((q) => (q.length ? `${p}?${q.join('&')}` : p)));
  }

  it('covers every read endpoint with every account and person, and never discloses beyond the relationships', async () => {
    const s = h.scenario;
    const identifying = (p: PersonKey) =>
      [s.people[p].lastName, s.people[p].identifier, s.people[p].email].filter(Boolean);
    let requests = 0;
    let identifyingDisclosures = 0;
    const violations: string[] = [];
    for (const account of Object.keys(s.accounts) as AccountKey[]) {
      const allowed = new Set(MAY_IDENTIFY[account].map((p) => s.people[p].id));
      const forbiddenStrings = PEOPLE.filter((p) => !MAY_IDENTIFY[account].includes(p)).flatMap(identifying);
      for (const op of operations) {
        for (const url of urlsFor(op)) {
          const response = await h.app.inject({ method: op.method as 'GET', url, headers: headers.get(account)! });
          requests++;
          expect(response.statusCode, `${account} ${url}`).toBeLessThan(500);
          const leaked = forbiddenStrings.find((x) => response.body.includes(x));
          if (leaked) violations.push(`${account} ${url}: body holds another person's data`);
          const requestId = String(response.headers['x-request-id']);
          const log = await h.store.db
            .selectFrom('disclosures')
            .select(['person_id', 'fields'])
            .where('request_id', '=', requestId)
            .execute();
          for (const row of log) {
            const fields = row.fields.split(',');
            const pseudonymised = fields.every((f) => PSEUDONYMISED_FIELDS.has(f));
            const profileOk =
              account === 'recruiter' &&
              pseudonymised &&
              RECRUITER_PROFILES.some((p) => s.people[p].id === row.person_id);
            if (!allowed.has(row.person_id) && !profileOk)
              violations.push(`${account} ${url}: disclosed ${row.person_id} (${row.fields})`);
            if (!pseudonymised) identifyingDisclosures++;
          }
        }
      }
    }
    expect(violations).toEqual([]);
    // The matrix is not vacuous: many requests, and related people were really disclosed.
    expect(operations.length).toBeGreaterThanOrEqual(12);
    expect(requests).toBeGreaterThan(300);
    expect(identifyingDisclosures).toBeGreaterThan(20);
  });

  it('answers a related person with their file and an unrelated one exactly like a missing one', async () => {
    const s = h.scenario;
    const get = (account: AccountKey, url: string) =>
      h.app.inject({ method: 'GET', url, headers: headers.get(account)! });
    const pairs: Array<[AccountKey, string, PersonKey, PersonKey]> = [
      ['trainer', '/api/training/trainees/', 'p1', 'p3'],
      ['partner', '/api/partner/files/', 'p2', 'p3'],
      ['adviser1', '/api/adviser/people/', 'p1', 'p6'],
    ];
    for (const [account, base, related, unrelated] of pairs) {
      const suffix = account === 'adviser1' ? '?purpose=portfolio_followup' : '';
      const ok = await get(account, `${base}${s.people[related].id}${suffix}`);
      expect(ok.statusCode, `${account} related`).toBe(200);
      expect(ok.body).toContain(s.people[related].lastName);
      const denied = await get(account, `${base}${s.people[unrelated].id}${suffix}`);
      const missing = await get(account, `${base}00000000-0000-4000-8000-000000000000${suffix}`);
      expect(denied.statusCode).toBe(404);
      const strip = (body: string) => ({ ...JSON.parse(body).error, requestId: undefined });
      expect(strip(denied.body)).toEqual(strip(missing.body));
    }
  });
});
