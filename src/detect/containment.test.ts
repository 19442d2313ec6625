import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reader } from '../disclosure/reader.js';
import type { DetectionFixture, TestAccount } from '../test-support/detection-fixtures.js';
import {
  addAccount,
  addOrganisation,
  addPeople,
  addSession,
  DETECT_START,
  errorOf,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { listAlerts } from './alerts.js';
import { listContainments, reviewContainment } from './containment.js';
import { decisionsOf } from './decisions.js';
import { sessionsStartOn } from './test-sessions.js';
import { climb } from './ladder.js';

describe('the graded ladder (pure)', () => {
  const base = { risk: 0, mfa: false, exceeded: null, canary: false, pressure: 0, strikes: 0 } as const;
  it.each([
    [{}, 'allow', 'none'],
    [{ risk: 1 }, 'step_up', 'risk'],
    [{ risk: 2, mfa: true }, 'allow', 'none'],
    [{ risk: 2.5, mfa: true }, 'slow_down', 'risk'],
    [{ exceeded: 'minute' }, 'slow_down', 'minute'],
    [{ exceeded: 'hour', risk: 1 }, 'slow_down', 'hour'],
    [{ exceeded: 'day' }, 'mask', 'day'],
    [{ exceeded: 'session' }, 'mask', 'session'],
    [{ exceeded: 'day', risk: 2 }, 'suspend_credential', 'risk_over_budget'],
    [{ exceeded: 'week', pressure: 9 }, 'suspend_credential', 'pressure'],
    [{ exceeded: 'day', strikes: 3 }, 'suspend_credential', 'strikes'],
    [{ exceeded: 'hour', strikes: 3 }, 'slow_down', 'hour'],
    [{ risk: 4, mfa: true }, 'suspend_credential', 'risk'],
    [{ canary: true }, 'suspend_credential', 'canary'],
    [{ beyond: 'hour' }, 'slow_down', 'beyond_hour'],
    [{ beyond: 'day' }, 'mask', 'beyond_day'],
    [{ beyond: 'week', beyondPressure: 2 }, 'suspend_credential', 'beyond_pressure'],
    [{ beyond: 'day', risk: 2, mfa: true }, 'suspend_credential', 'risk_over_budget'],
    [{ beyond: 'hour', exceeded: 'day' }, 'mask', 'day'],
  ] as const)('%o → %s (%s)', (input, action, rule) => {
    expect(climb({ ...base, ...input })).toEqual({ action, rule });
  });
});

describe.each(DIALECTS)('containment on %s', (dialect) => {
  let f: DetectionFixture;
  let agency = '';
  let training = '';
  let otherTraining = '';
  let trainees: string[] = [];
  let others: string[] = [];
  let officer: TestAccount;

  beforeAll(async () => {
    f = await openDetectionFixture(dialect);
    agency = await addOrganisation(f.store.db, 'agency');
    training = await addOrganisation(f.store.db, 'training');
    otherTraining = await addOrganisation(f.store.db, 'training');
    trainees = await addPeople(f, agency, 60, { trainingOrg: training });
    others = await addPeople(f, agency, 5, { trainingOrg: otherTraining });
    await sessionsStartOn(f.store.db, training, '2026-03-06');
    await sessionsStartOn(f.store.db, otherTraining, '2026-03-06');
    officer = await addAccount(f.store.db, 'security_officer', await addOrganisation(f.store.db, 'national'));
  });
  afterAll(() => f.dispose());

  const read = (reader: Reader, people: readonly string[]) =>
    f.gate.disclose({ reader, purpose: 'training_followup', people });
  const status = async (id: string) =>
    (await f.store.db.selectFrom('accounts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const events = (kind: string) =>
    f.store.db.selectFrom('security_events').selectAll().where('kind', '=', kind).execute();
  /** Enumerating and paging: 2 + 2 risk points, enough to suspend on the spot. */
  const misbehave = (reader: Reader) => {
    f.detection.recordLookupMiss(reader, 60);
    for (let page = 1; page <= 30; page++) f.detection.recordListing(reader, 'trainees', page);
  };

  it('climbs the ladder for one credential: allow, step-up, slow down, mask, then suspension after repeated attempts', async () => {
    f.clock.set(DETECT_START);
    const t = await addAccount(f.store.db, 'trainer', training);
    const ref = await addSession(f.store.db, t.id, DETECT_START - 60_000, '10.0.0.1');
    await f.store.db
      .insertInto('detection_baselines')
      .values({
        account_id: t.id,
        organisation_id: training,
        role: 'trainer',
        peer_group: 'test',
        reachable: 60,
        portfolio: 60,
        minute_limit: 60,
        hour_limit: 40,
        day_limit: 55,
        week_limit: 200,
        session_limit: 55,
        contact_day_limit: 10,
        usual_hours: null,
        history_days: 30,
        strikes: 0,
        basis: '{}',
        computed_at: DETECT_START,
      })
      .execute();
    const reader = readerOf(t, { sessionRef: ref, sourceIp: '10.0.0.1' });
    expect(await read(reader, trainees.slice(0, 30))).toHaveLength(30); // allow (first session: 0.5 for the new device)
    expect((await errorOf(read({ ...reader, sourceIp: '198.51.100.1' }, trainees.slice(30, 31))))?.code).toBe(
      'AUTH.STEP_UP_REQUIRED',
    );
    const proven = { ...reader, assurance: 'mfa' as const };
    expect((await errorOf(read(proven, trainees.slice(30, 45))))?.code).toBe('DETECT.SLOW_DOWN'); // 45 > 40 an hour
    f.clock.advance(3_600_000);
    expect((await read(proven, trainees.slice(30, 45))).every((p) => !p.masked)).toBe(true); // a new hour
    expect((await read(proven, trainees.slice(45, 60))).every((p) => p.masked)).toBe(true); // 60 > 55 a day
    for (let i = 0; i < 7; i++) expect((await read(proven, trainees.slice(45, 60))).every((p) => p.masked)).toBe(true); // insisting
    expect((await errorOf(read(proven, trainees.slice(45, 60))))?.code).toBe('DETECT.CREDENTIAL_SUSPENDED'); // the 10th budget answer today
    expect((await errorOf(read(proven, trainees.slice(0, 1))))?.code).toBe('DETECT.CREDENTIAL_SUSPENDED'); // even what it saw before
    await f.detection.flush();
    expect(await status(t.id)).toBe('suspended');
    const sessions = await f.store.db
      .selectFrom('sessions')
      .select('revoked_at')
      .where('account_id', '=', t.id)
      .execute();
    expect(sessions.every((s) => s.revoked_at !== null)).toBe(true);
    expect((await decisionsOf(f.store.db, t.id)).map((d) => d.action)).toEqual([
      'suspend_credential',
      ...Array(8).fill('mask'),
      'slow_down',
      'step_up',
    ]);
    const [alert] = await listAlerts(f.store.db, { accountId: t.id, severity: 'high' });
    expect(alert).toMatchObject({
      action: 'suspend_credential',
      rule: 'pressure',
      sessionRef: ref,
      sourceIp: '10.0.0.1',
    });
    expect(JSON.stringify(alert)).not.toMatch(/Testnom|personne\d+@/); // ids and counts only
    expect(await events('detect.credential_suspended')).toHaveLength(1);
  });

  it('suspends one partner’s channel when a second credential of it falls within 24 hours, and nobody else', async () => {
    const second = await addAccount(f.store.db, 'trainer', training);
    misbehave(readerOf(second));
    expect((await errorOf(read(readerOf(second), trainees.slice(0, 1))))?.code).toBe('DETECT.CHANNEL_SUSPENDED');
    const third = await addAccount(f.store.db, 'trainer', training);
    expect((await errorOf(read(readerOf(third), trainees.slice(0, 1))))?.code).toBe('DETECT.CHANNEL_SUSPENDED');
    await f.detection.flush();
    const org = await f.store.db
      .selectFrom('organisations')
      .select('channel_suspended_at')
      .where('id', '=', training)
      .executeTakeFirstOrThrow();
    expect(org.channel_suspended_at).toBe(f.clock.now());
    expect(await status(third.id)).toBe('active'); // refused through its organisation, not suspended itself
    const elsewhere = await addAccount(f.store.db, 'trainer', otherTraining);
    expect(await read(readerOf(elsewhere), others)).toHaveLength(5);
    const adviser = await addAccount(f.store.db, 'adviser', agency);
    expect(
      await f.gate.disclose({
        reader: readerOf(adviser),
        purpose: 'agency_lookup',
        people: trainees.slice(0, 1),
        reason: 'vérification du dossier',
      }),
    ).toHaveLength(1);
    const [alert] = await listAlerts(f.store.db, { organisationId: training, severity: 'critical' });
    expect(alert).toMatchObject({ action: 'suspend_channel', rule: 'second_credential' });
  });

  it('never suspends an agency’s channel: France Travail’s own agencies are contained credential by credential', async () => {
    const a1 = await addAccount(f.store.db, 'adviser', agency);
    const a2 = await addAccount(f.store.db, 'adviser', agency);
    for (const a of [a1, a2]) {
      misbehave(readerOf(a));
      expect(
        (
          await errorOf(
            f.gate.disclose({
              reader: readerOf(a),
              purpose: 'agency_lookup',
              people: trainees.slice(0, 1),
              reason: 'vérification du dossier',
            }),
          )
        )?.code,
      ).toBe('DETECT.CREDENTIAL_SUSPENDED');
    }
    await f.detection.flush();
    expect((await listContainments(f.store.db, { organisationId: agency })).map((c) => c.kind)).toEqual([
      'credential',
      'credential',
    ]);
  });

  it('lets a security officer lift or confirm a containment with a reason, audited; a lift is effective at once', async () => {
    await f.detection.flush();
    const [channel] = await listContainments(f.store.db, { organisationId: training, status: 'active' }).then((c) =>
      c.filter((x) => x.kind === 'channel'),
    );
    const review = { containmentId: channel!.id, officerId: officer.id, sourceIp: '10.9.9.9' };
    expect((await errorOf(f.detection.reviewContainment({ ...review, decision: 'lift', reason: 'court' })))?.code).toBe(
      'CONTAINMENT.REASON_REQUIRED',
    );
    const lifted = await f.detection.reviewContainment({
      ...review,
      decision: 'lift',
      reason: 'Faux positif : rentrée de la promotion de mars',
    });
    expect(lifted).toMatchObject({
      status: 'lifted',
      reviewedBy: officer.id,
      reviewReason: 'Faux positif : rentrée de la promotion de mars',
    });
    expect(
      (
        await errorOf(
          f.detection.reviewContainment({ ...review, decision: 'confirm', reason: 'Deuxième avis sur la mesure' }),
        )
      )?.code,
    ).toBe('CONTAINMENT.ALREADY_REVIEWED');
    const third = await addAccount(f.store.db, 'trainer', training);
    expect(await read(readerOf(third), trainees.slice(0, 1))).toHaveLength(1);
    const [event] = await events('detect.containment_lifted');
    expect(event).toMatchObject({ account_id: officer.id, source_ip: '10.9.9.9' });
    expect(JSON.parse(event!.details)).toMatchObject({
      containmentId: channel!.id,
      reason: 'Faux positif : rentrée de la promotion de mars',
    });
    const alerts = await listAlerts(f.store.db, { organisationId: training });
    expect(alerts.find((a) => a.action === 'containment_lifted')).toMatchObject({
      severity: 'low',
      containmentId: channel!.id,
      details: { officerId: officer.id },
    });
  });

  it('restores a lifted credential’s previous status, even when lifted outside this process, and keeps a confirmed one contained', async () => {
    const active = (await listContainments(f.store.db, { organisationId: training, status: 'active' })).filter(
      (c) => c.kind === 'credential',
    );
    const first = active.find((c) => c.rule === 'pressure'); // the ladder's credential
    const second = active.find((c) => c.rule === 'second_credential');
    await reviewContainment(f.store.db, {
      containmentId: first!.id,
      decision: 'lift',
      officerId: officer.id,
      reason: 'Activité légitime vérifiée',
      sourceIp: null,
      at: f.clock.now(),
    });
    expect(await status(first!.accountId!)).toBe('active');
    const reader = readerOf(
      { id: first!.accountId!, role: 'trainer', organisationId: training, personId: null },
      { assurance: 'mfa' },
    );
    expect(await read(reader, trainees.slice(0, 1))).toHaveLength(1); // seen before: no new exposure
    await f.detection.reviewContainment({
      containmentId: second!.id,
      decision: 'confirm',
      officerId: officer.id,
      reason: 'Compromission confirmée par le partenaire',
      sourceIp: null,
    });
    expect(
      (
        await errorOf(
          read(
            readerOf({ id: second!.accountId!, role: 'trainer', organisationId: training, personId: null }),
            trainees.slice(0, 1),
          ),
        )
      )?.code,
    ).toBe('DETECT.CREDENTIAL_SUSPENDED');
    expect(await events('detect.containment_confirmed')).toHaveLength(1);
  });
});
