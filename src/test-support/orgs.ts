import { randomUUID } from 'node:crypto';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { Db } from '../storage/database.js';
import type { Reader } from '../disclosure/reader.js';

/** Inserts an organisation and returns its id. */
export async function insertOrganisation(
  db: Db,
  kind: OrganisationKind,
  name = `Organisation ${kind}`,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({
      id,
      kind,
      name,
      siret: null,
      departement: '75',
      parent_agency_id: null,
      channel_suspended_at: null,
      created_at: 0,
    })
    .execute();
  return id;
}

/** A Reader as authentication would build it, for gate-level tests. */
export function readerOf(role: Role, organisationId: string | null, extra: Partial<Reader> = {}): Reader {
  return {
    accountId: randomUUID(),
    role,
    organisationId,
    organisationKind: null,
    personId: null,
    sessionRef: 'sess-test',
    sourceIp: '127.0.0.1',
    requestId: randomUUID(),
    assurance: 'password',
    ...extra,
  };
}

/** A training session of an organisation, and an enrolment of a person in it. */
export async function enrol(
  db: Db,
  organisationId: string,
  personId: string,
  prescribedBy: string,
  extra: { status?: string; visibleUntil?: string | null } = {},
): Promise<{ sessionId: string; enrolmentId: string }> {
  const sessionId = randomUUID();
  const enrolmentId = randomUUID();
  await db
    .insertInto('training_sessions')
    .values({
      id: sessionId,
      organisation_id: organisationId,
      title: 'Session test',
      rome_codes: 'M1805',
      starts_on: '2026-09-01',
      ends_on: '2026-12-15',
      place_commune_insee: '75111',
      place_label: 'Paris',
      capacity: 12,
      created_at: 0,
    })
    .execute();
  await db
    .insertInto('enrolments')
    .values({
      id: enrolmentId,
      session_id: sessionId,
      person_id: personId,
      organisation_id: organisationId,
      prescribed_by: prescribedBy,
      prescribed_on: '2026-08-20',
      status: extra.status ?? 'prescribed',
      entered_on: null,
      exited_on: null,
      exit_reason: null,
      visible_until: extra.visibleUntil ?? null,
      created_at: 0,
    })
    .execute();
  return { sessionId, enrolmentId };
}
