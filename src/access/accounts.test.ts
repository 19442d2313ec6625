import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerOf } from '../test-support/orgs.js';
import type { AccessFixture } from '../test-support/access-fixtures.js';
import {
  TEST_PASSWORD,
  createOrgWithAccount,
  createOrganisation,
  createTestAccount,
  openAccessFixture,
} from '../test-support/access-fixtures.js';
import { insertJobSeekers, sampleJobSeeker } from '../test-support/people.js';
import { DIALECTS } from '../test-support/stores.js';
import {
  createJobSeekerAccount,
  createStaffAccount,
  findAccountByLogin,
  getAccount,
  listOrganisationAccounts,
} from './accounts.js';
import { securityEventsOf } from './security-events.js';

describe.each(DIALECTS)('accounts on %s', (dialect) => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture(dialect);
  });
  afterAll(async () => f.dispose());

  const staff = (
    organisationId: string,
    role: 'trainer' | 'adviser' | 'account_manager' | 'recruiter',
    email: string,
  ) => ({
    organisationId,
    role,
    email,
    displayName: 'Camille Agent',
    password: TEST_PASSWORD,
  });

  it('creates a staff account whose role fits its organisation, found by login whatever its case', async () => {
    const training = await createOrganisation(f.store.db, 'training');
    const account = await createStaffAccount(
      f.access,
      'system',
      staff(training, 'trainer', 'Camille.Agent@Formation.fr'),
    );
    expect(account).toMatchObject({
      role: 'trainer',
      organisationId: training,
      status: 'active',
      email: 'camille.agent@formation.fr',
    });
    expect(account).not.toHaveProperty('password_hash');
    expect((await findAccountByLogin(f.access, ' CAMILLE.agent@formation.FR '))?.id).toBe(account.id);
    expect(await findAccountByLogin(f.access, 'personne@formation.fr')).toBeUndefined();
    const row = await f.store.db
      .selectFrom('accounts')
      .select(['login_index', 'password_hash'])
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(row.login_index.toString('latin1')).not.toContain('camille');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a role foreign to the organisation kind, and a taken login', async () => {
    const training = await createOrganisation(f.store.db, 'training');
    await expect(
      createStaffAccount(f.access, 'system', staff(training, 'adviser', 'a@formation.fr')),
    ).rejects.toMatchObject({ code: 'ACCOUNT.ROLE_MISMATCH', kind: 'invalid' });
    await createStaffAccount(f.access, 'system', staff(training, 'trainer', 'double@formation.fr'));
    await expect(
      createStaffAccount(f.access, 'system', staff(training, 'trainer', 'DOUBLE@formation.fr')),
    ).rejects.toMatchObject({ code: 'ACCOUNT.LOGIN_TAKEN', kind: 'conflict' });
    await expect(
      createStaffAccount(f.access, 'system', {
        ...staff(training, 'trainer', 'court@formation.fr'),
        password: 'trop court',
      }),
    ).rejects.toMatchObject({ code: 'PASSWORD.TOO_SHORT' });
  });

  it('lets an account manager create accounts only in their own organisation, in probation, and logs it', async () => {
    const manager = await createOrgWithAccount(f.access, 'employer', 'account_manager');
    const other = await createOrganisation(f.store.db, 'employer');
    const actor = readerOf('account_manager', manager.organisationId, { accountId: manager.account.id });
    const created = await createStaffAccount(
      f.access,
      actor,
      staff(manager.organisationId, 'recruiter', 'recrue@employeur.fr'),
    );
    expect(created).toMatchObject({
      status: 'probation',
      createdBy: manager.account.id,
      organisationId: manager.organisationId,
    });
    await expect(
      createStaffAccount(f.access, actor, staff(other, 'recruiter', 'ailleurs@employeur.fr')),
    ).rejects.toMatchObject({ code: 'ACCOUNT.OTHER_ORGANISATION', kind: 'forbidden' });
    await expect(
      createStaffAccount(f.access, actor, staff(manager.organisationId, 'account_manager', 'relais@employeur.fr')),
    ).rejects.toMatchObject({ code: 'ACCOUNT.ROLE_FORBIDDEN', kind: 'forbidden' });
    const events = await securityEventsOf(f.store.db, manager.account.id);
    expect(events.map((e) => e.kind)).toEqual(['account.created']);
    expect(events[0]?.details).toMatchObject({ createdAccountId: created.id, role: 'recruiter', status: 'probation' });
    expect(JSON.stringify(events)).not.toContain('recrue@');
    expect((await listOrganisationAccounts(f.store.db, manager.organisationId)).map((a) => a.id).sort()).toEqual(
      [manager.account.id, created.id].sort(),
    );
  });

  it('refuses account creation to any other role', async () => {
    const trainer = await createOrgWithAccount(f.access, 'training', 'trainer');
    const actor = readerOf('trainer', trainer.organisationId, { accountId: trainer.account.id });
    await expect(
      createStaffAccount(f.access, actor, staff(trainer.organisationId, 'trainer', 'x@formation.fr')),
    ).rejects.toMatchObject({ code: 'ACCOUNT.CREATE_FORBIDDEN' });
  });

  it('creates a job seeker account whose login is their identifier, tied to their person', async () => {
    const agency = await createOrganisation(f.store.db, 'agency');
    const person = sampleJobSeeker(agency);
    await insertJobSeekers(f.store.db, f.keys, [person]);
    const identifier = person.sealed.identity.identifier;
    await expect(
      createJobSeekerAccount(f.access, { personId: person.id, identifier: '1234567Z', password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'ACCOUNT.IDENTIFIER_MISMATCH' });
    const account = await createJobSeekerAccount(f.access, {
      personId: person.id,
      identifier: identifier.toLowerCase(),
      password: TEST_PASSWORD,
    });
    expect(account).toMatchObject({
      role: 'job_seeker',
      personId: person.id,
      organisationId: null,
      displayName: null,
      email: null,
    });
    expect((await findAccountByLogin(f.access, identifier))?.id).toBe(account.id);
    await expect(
      createJobSeekerAccount(f.access, { personId: person.id, identifier, password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'ACCOUNT.EXISTS' });
    await expect(
      createJobSeekerAccount(f.access, { personId: 'nobody', identifier: '7654321A', password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'PERSON.NOT_FOUND' });
  });

  it('getAccount says ACCOUNT.NOT_FOUND for an unknown id', async () => {
    await expect(getAccount(f.store.db, 'nobody')).rejects.toMatchObject({
      code: 'ACCOUNT.NOT_FOUND',
      kind: 'not_found',
    });
    const t = await createOrgWithAccount(f.access, 'agency', 'adviser');
    expect(
      (await createTestAccount(f.access, { organisationId: t.organisationId, role: 'adviser' })).account.status,
    ).toBe('active');
  });
});
