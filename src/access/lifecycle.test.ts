import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessFixture, TestAccount } from '../test-support/access-fixtures.js';
import {
  TEST_PASSWORD,
  createOrganisation,
  createTestAccount,
  openAccessFixture,
} from '../test-support/access-fixtures.js';
import { insertJobSeekers, sampleJobSeeker } from '../test-support/people.js';
import { DIALECTS } from '../test-support/stores.js';
import type { Account } from './accounts.js';
import { createJobSeekerAccount, createStaffAccount, getAccount } from './accounts.js';
import type { Overseer } from './lifecycle.js';
import { approveAccount, changeRole, disableAccount, overseerOf } from './lifecycle.js';
import { DORMANT_AFTER_MS, disableDormantAccounts } from './lifecycle-dormant.js';
import { securityEventsOf } from './security-events.js';
import { createSession, resolveSession } from './sessions.js';

const SOURCE = { ip: '192.0.2.8', userAgent: 'test' };
const DAY = 24 * 3_600_000;

describe.each(DIALECTS)('account lifecycle on %s', (dialect) => {
  let f: AccessFixture;
  let agency: string;
  let partner: string;
  let m1: Overseer;
  let m2: Overseer;
  let agent: Overseer;
  let otherAgent: Overseer;
  let national: Overseer;
  let adviser: Overseer;

  const overseer = async (t: TestAccount): Promise<Overseer> =>
    overseerOf(f.store.db, { accountId: t.account.id, role: t.account.role, organisationId: t.account.organisationId });
  const staff = async (organisationId: string, role: Account['role']) =>
    overseer(await createTestAccount(f.access, { organisationId, role }));
  const createdBy = async (creator: Overseer): Promise<Account> => {
    const email = `nouveau.${Math.random().toString(36).slice(2)}@ml.fr`;
    return createStaffAccount(
      f.access,
      creator,
      { organisationId: partner, role: 'partner_adviser', email, displayName: 'Nouveau', password: TEST_PASSWORD },
      SOURCE,
    );
  };

  beforeAll(async () => {
    f = await openAccessFixture(dialect);
    agency = await createOrganisation(f.store.db, 'agency', 'Agence Paris 11');
    const otherAgency = await createOrganisation(f.store.db, 'agency', 'Agence Lille');
    partner = await createOrganisation(f.store.db, 'mission_locale', 'Mission locale Paris Est');
    await f.store.db.updateTable('organisations').set({ parent_agency_id: agency }).where('id', '=', partner).execute();
    const nationalOrg = await createOrganisation(f.store.db, 'national', 'DSI');
    m1 = await staff(partner, 'account_manager');
    m2 = await staff(partner, 'account_manager');
    adviser = await staff(partner, 'partner_adviser');
    agent = await staff(agency, 'account_manager');
    otherAgent = await staff(otherAgency, 'account_manager');
    national = await staff(nationalOrg, 'security_officer');
  });
  afterAll(async () => f.dispose());

  it('keeps an account created by a manager in probation until a second person approves it', async () => {
    const x = await createdBy(m1);
    expect(x.status).toBe('probation');
    await expect(approveAccount(f.access, m1, x.id, SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.APPROVER_IS_CREATOR',
      kind: 'forbidden',
    });
    await expect(approveAccount(f.access, adviser, x.id, SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.ACTION_FORBIDDEN',
    });
    await expect(approveAccount(f.access, otherAgent, x.id, SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.ACTION_FORBIDDEN',
    });
    expect((await getAccount(f.store.db, x.id)).status).toBe('probation');
    const approved = await approveAccount(f.access, m2, x.id, SOURCE);
    expect(approved.status).toBe('active');
    expect(
      (await f.store.db.selectFrom('accounts').select('approved_by').where('id', '=', x.id).executeTakeFirstOrThrow())
        .approved_by,
    ).toBe(m2.accountId);
    const [event] = await securityEventsOf(f.store.db, x.id, 1);
    expect(event).toMatchObject({
      kind: 'account.approved',
      details: { actorId: m2.accountId, reason: 'created', probationStartedBy: m1.accountId },
    });
    await expect(approveAccount(f.access, m2, x.id, SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.NOT_IN_PROBATION',
    });
  });

  it('lets a France Travail agent overseeing the partner approve (agency of attachment, or national)', async () => {
    const byAgency = await approveAccount(f.access, agent, (await createdBy(m1)).id, SOURCE);
    expect(byAgency.status).toBe('active');
    const byNational = await approveAccount(f.access, national, (await createdBy(m1)).id, SOURCE);
    expect(byNational.status).toBe('active');
  });

  it('puts an account back on probation when its role changes; only an agent may name a manager', async () => {
    const x = await approveAccount(f.access, m2, (await createdBy(m1)).id, SOURCE);
    await expect(changeRole(f.access, m2, x.id, 'account_manager', SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.ROLE_FORBIDDEN',
    });
    await expect(changeRole(f.access, m2, x.id, 'trainer', SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.ROLE_MISMATCH',
    });
    const promoted = await changeRole(f.access, agent, x.id, 'account_manager', SOURCE);
    expect(promoted).toMatchObject({ role: 'account_manager', status: 'probation' });
    expect((await securityEventsOf(f.store.db, x.id, 1))[0]).toMatchObject({
      kind: 'account.role_changed',
      details: { actorId: agent.accountId, from: 'partner_adviser', to: 'account_manager' },
    });
    await expect(approveAccount(f.access, agent, x.id, SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.APPROVER_IS_CREATOR',
    });
    expect((await approveAccount(f.access, m2, x.id, SOURCE)).status).toBe('active');
    await expect(changeRole(f.access, m1, m1.accountId, 'partner_adviser', SOURCE)).rejects.toMatchObject({
      code: 'ACCOUNT.SELF_FORBIDDEN',
    });
  });

  it('disables an account and ends its sessions', async () => {
    const x = await createdBy(m1);
    const grant = await createSession(f.access, x, SOURCE);
    const disabled = await disableAccount(f.access, m2, x.id, SOURCE);
    expect(disabled.status).toBe('disabled');
    await expect(resolveSession(f.access, grant.token, SOURCE)).rejects.toMatchObject({ code: 'AUTH.SESSION_INVALID' });
    expect((await securityEventsOf(f.store.db, x.id, 1))[0]).toMatchObject({
      kind: 'account.disabled',
      details: { actorId: m2.accountId, reason: 'manager', sessionsRevoked: 1 },
    });
  });

  it('disables staff accounts unused for 90 days, not job seekers, and only once', async () => {
    const now = f.clock.now() + 200 * DAY;
    const used = await createTestAccount(f.access, { organisationId: partner, role: 'partner_adviser' });
    await f.store.db
      .updateTable('accounts')
      .set({ last_login_at: now - DORMANT_AFTER_MS + DAY })
      .where('id', '=', used.account.id)
      .execute();
    const stale = await createTestAccount(f.access, { organisationId: partner, role: 'partner_adviser' });
    await f.store.db
      .updateTable('accounts')
      .set({ last_login_at: now - DORMANT_AFTER_MS - DAY })
      .where('id', '=', stale.account.id)
      .execute();
    const person = sampleJobSeeker(agency);
    await insertJobSeekers(f.store.db, f.keys, [person]);
    const seeker = await createJobSeekerAccount(f.access, {
      personId: person.id,
      identifier: person.sealed.identity.identifier,
      password: TEST_PASSWORD,
    });

    const disabled = await disableDormantAccounts({ store: f.store }, now);
    expect(disabled).toContain(stale.account.id);
    expect(disabled).not.toContain(used.account.id);
    expect(disabled).toContain(m1.accountId); // never signed in, created 200 days ago
    expect((await getAccount(f.store.db, seeker.id)).status).toBe('active');
    expect((await getAccount(f.store.db, used.account.id)).status).toBe('active');
    expect((await securityEventsOf(f.store.db, stale.account.id, 1))[0]).toMatchObject({
      kind: 'account.disabled',
      accountId: stale.account.id,
      details: { actorId: null, reason: 'dormant' },
    });
    expect(await disableDormantAccounts({ store: f.store }, now)).toEqual([]);
  });
});
