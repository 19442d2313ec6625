import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsOf } from '../detect/decisions.js';
import { listAlerts } from '../detect/alerts.js';
import type { DetectionFixture, TestAccount } from '../test-support/detection-fixtures.js';
import {
  addAccount,
  addOrganisation,
  addPeople,
  DETECT_START,
  errorOf,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import type { PlantedCanary } from './canaries.js';
import { attributeCanary, plantCanaries } from './canaries.js';
import type { ServiceContext } from './service-context.js';

describe.each(DIALECTS)('canaries on %s', (dialect) => {
  let f: DetectionFixture;
  let ctx: ServiceContext;
  const org = { agency: '', training: '', employer: '' };
  let current: string[] = [];
  let planted: Record<'training' | 'agency' | 'recruiter' | 'export', PlantedCanary>;
  const exportId = randomUUID();

  beforeAll(async () => {
    f = await openDetectionFixture(dialect);
    ctx = { store: f.store, keys: f.keys, clock: f.clock, gate: f.gate };
    org.agency = await addOrganisation(f.store.db, 'agency');
    org.training = await addOrganisation(f.store.db, 'training');
    org.employer = await addOrganisation(f.store.db, 'employer');
    current = await addPeople(f, org.agency, 8, { trainingOrg: org.training });
    await f.store.db
      .insertInto('training_sessions')
      .values({
        id: randomUUID(),
        organisation_id: org.training,
        title: 'Promotion de l’automne',
        rome_codes: 'M1607',
        starts_on: '2025-09-01',
        ends_on: '2026-01-16',
        place_commune_insee: '75111',
        place_label: 'Paris',
        capacity: 12,
        created_at: 0,
      })
      .execute();
    const [training, agency, recruiter, exported] = await plantCanaries(ctx, [
      { placement: 'training', organisationId: org.training },
      { placement: 'agency', organisationId: org.agency },
      { placement: 'recruiter', organisationId: org.employer, romeCode: 'A1203', departement: '48' },
      { placement: 'export', exportId, organisationId: null, agencyId: org.agency },
    ]);
    planted = { training: training!, agency: agency!, recruiter: recruiter!, export: exported! };
    await f.detection.refresh();
    f.clock.set(DETECT_START);
  });
  afterAll(() => f.dispose());

  const visibleToTrainer = async () =>
    (
      await f.store.db
        .selectFrom('enrolments')
        .select('person_id')
        .where('organisation_id', '=', org.training)
        .execute()
    ).map((e) => e.person_id);
  const lastDecision = async (a: TestAccount) => {
    await f.detection.flush();
    return (await decisionsOf(f.store.db, a.id))[0];
  };

  it('stores canaries exactly like people, each one unique', async () => {
    const ids = Object.values(planted).map((c) => c.personId);
    const rows = await f.store.db
      .selectFrom('people')
      .select(['id', 's_identity', 'bi_email', 'agency_id', 'adviser_id'])
      .where('id', 'in', ids)
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.s_identity !== null && r.bi_email !== null && r.adviser_id === null)).toBe(true);
    expect(new Set(Object.values(planted).map((c) => c.email)).size).toBe(4);
    const enrolment = await f.store.db
      .selectFrom('enrolments')
      .selectAll()
      .where('person_id', '=', planted.training.personId)
      .executeTakeFirstOrThrow();
    expect(enrolment).toMatchObject({
      organisation_id: org.training,
      status: 'completed',
      exited_on: '2026-01-16',
      visible_until: '2026-04-16',
    });
    const searchable = await f.store.db
      .selectFrom('person_rome')
      .select('person_id')
      .distinct()
      .where('person_id', 'in', ids)
      .execute();
    expect(searchable.map((r) => r.person_id)).toEqual([planted.recruiter.personId]); // real recruiters never search the others
  });

  it('leaves real work alone: the current trainees of the session', async () => {
    const trainer = await addAccount(f.store.db, 'trainer', org.training);
    expect(
      await f.gate.disclose({ reader: readerOf(trainer), purpose: 'training_followup', people: current }),
    ).toHaveLength(8);
  });

  it('contains at once a training organisation’s credential reading every file it can reach, and names the canary’s source', async () => {
    const trainer = await addAccount(f.store.db, 'trainer', org.training);
    const everyone = await visibleToTrainer();
    expect(everyone).toContain(planted.training.personId);
    expect(
      (await errorOf(f.gate.disclose({ reader: readerOf(trainer), purpose: 'training_followup', people: everyone })))
        ?.code,
    ).toBe('DETECT.CREDENTIAL_SUSPENDED');
    expect(await lastDecision(trainer)).toMatchObject({ action: 'suspend_credential', rule: 'canary' });
    const [alert] = await listAlerts(f.store.db, { accountId: trainer.id });
    expect(alert).toMatchObject({
      severity: 'critical',
      rule: 'canary',
      details: { explanation: { canary: { placement: 'training', plantedFor: { organisationId: org.training } } } },
    });
    expect(
      await f.store.db.selectFrom('disclosures').select('seq').where('reader_id', '=', trainer.id).execute(),
    ).toHaveLength(0);
  });

  it('contains an adviser bulk-reading the agency beyond any portfolio', async () => {
    const adviser = await addAccount(f.store.db, 'adviser', org.agency);
    const agencyPeople = (
      await f.store.db.selectFrom('people').select('id').where('agency_id', '=', org.agency).execute()
    ).map((p) => p.id);
    const bulk = f.gate.disclose({
      reader: readerOf(adviser),
      purpose: 'agency_lookup',
      people: agencyPeople,
      reason: 'extraction pour relance',
    });
    expect((await errorOf(bulk))?.code).toBe('DETECT.CREDENTIAL_SUSPENDED');
  });

  it('treats a canary among pseudonymised recruiter profiles as a strong signal, not an immediate containment', async () => {
    const recruiter = await addAccount(f.store.db, 'recruiter', org.employer);
    const search = f.gate.disclose({
      reader: readerOf(recruiter),
      purpose: 'candidate_search',
      people: [...current.slice(0, 3), planted.recruiter.personId],
    });
    expect((await errorOf(search))?.code).toBe('AUTH.STEP_UP_REQUIRED');
    expect((await lastDecision(recruiter))?.details['signals']).toEqual([
      expect.objectContaining({ name: 'canary_profile', score: 2 }),
    ]);
  });

  it('expects an export’s canary in that export only; anywhere else it is a leak of that export', async () => {
    const adviser = await addAccount(f.store.db, 'adviser', org.agency);
    const file = await f.gate.disclose({
      reader: readerOf(adviser, { requestId: exportId }),
      purpose: 'agency_lookup',
      people: [planted.export.personId],
      reason: 'export pour le prestataire',
    });
    expect(file).toHaveLength(1);
    const other = await addAccount(f.store.db, 'adviser', org.agency);
    expect(
      (
        await errorOf(
          f.gate.disclose({
            reader: readerOf(other),
            purpose: 'agency_lookup',
            people: [planted.export.personId],
            reason: 'vérification du dossier',
          }),
        )
      )?.code,
    ).toBe('DETECT.CREDENTIAL_SUSPENDED');
    await f.detection.flush();
    const [alert] = await listAlerts(f.store.db, { accountId: other.id });
    expect(alert?.details).toMatchObject({
      explanation: { canary: { placement: 'export', plantedFor: { exportId } } },
    });
  });

  it('attributes a canary from its id, e-mail, identifier or phone; a real person gives nothing away', async () => {
    expect(await attributeCanary(ctx, planted.training.personId)).toMatchObject({
      placement: 'training',
      organisationId: org.training,
      organisationName: 'Organisation training',
    });
    expect(await attributeCanary(ctx, planted.agency.email.toUpperCase())).toMatchObject({
      placement: 'agency',
      organisationId: org.agency,
    });
    expect(await attributeCanary(ctx, planted.export.identifier)).toMatchObject({ placement: 'export', exportId });
    expect(await attributeCanary(ctx, planted.recruiter.personId)).toMatchObject({
      placement: 'recruiter',
      organisationId: org.employer,
    });
    expect(await attributeCanary(ctx, current[0]!)).toBeNull();
    expect(await attributeCanary(ctx, 'personne0001@exemple.fr')).toBeNull();
    expect(await attributeCanary(ctx, 'pas un indice')).toBeNull();
  });
});
