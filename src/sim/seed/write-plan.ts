/**
 * Writes the planned organisations, staff accounts and training sessions: a few thousand rows,
 * in one transaction, before any person (people and enrolments refer to them).
 */
import type { Insertable } from 'kysely';
import type { DbOrTx } from '../../storage/database.js';
import type { AccountTable, OrganisationTable, TrainingSessionTable } from '../../storage/schema.js';
import { blindIndex } from '../../vault/blind-index.js';
import type { KeyringSource } from '../../vault/keyring.js';
import type { BulkInserter } from './bulk-insert.js';
import type { PasswordHashes, SeededRole } from './demo-credentials.js';
import type { PlannedOrganisation, PlannedSession, PlannedStaff, SeedPlan } from './plan-types.js';

const organisationRow = (o: PlannedOrganisation, now: number): Insertable<OrganisationTable> => ({
  id: o.id,
  kind: o.kind,
  name: o.name,
  siret: o.siret,
  departement: o.departement,
  parent_agency_id: o.parentAgencyId,
  channel_suspended_at: null,
  created_at: now,
});

const staffRow = (
  s: PlannedStaff,
  keys: KeyringSource,
  hashes: PasswordHashes,
  now: number,
): Insertable<AccountTable> => ({
  id: s.id,
  organisation_id: s.organisationId,
  person_id: null,
  role: s.role,
  login_index: blindIndex(keys, 'login', s.email),
  display_name: s.displayName,
  email: s.email,
  password_hash: hashes[s.role as SeededRole],
  status: 'active',
  created_by: null,
  approved_by: null,
  created_at: now,
  last_login_at: null,
  failed_logins: 0,
  locked_until: null,
});

const sessionRow = (s: PlannedSession, now: number): Insertable<TrainingSessionTable> => ({
  id: s.id,
  organisation_id: s.organisationId,
  title: s.title,
  rome_codes: s.romeCodes.join(','),
  starts_on: s.startsOn,
  ends_on: s.endsOn,
  place_commune_insee: s.placeInsee,
  place_label: s.placeLabel,
  capacity: s.capacity,
  created_at: now,
});

export interface PlanCounts {
  readonly organisations: number;
  readonly staff: number;
  readonly sessions: number;
}

export async function writePlan(
  tx: DbOrTx,
  inserter: BulkInserter,
  plan: SeedPlan,
  keys: KeyringSource,
  hashes: PasswordHashes,
): Promise<PlanCounts> {
  await inserter.insert(
    tx,
    'organisations',
    plan.organisations.map((o) => organisationRow(o, plan.now)),
  );
  await inserter.insert(
    tx,
    'accounts',
    plan.staff.map((s) => staffRow(s, keys, hashes, plan.now)),
  );
  await inserter.insert(
    tx,
    'training_sessions',
    plan.sessions.map((s) => sessionRow(s, plan.now)),
  );
  return { organisations: plan.organisations.length, staff: plan.staff.length, sessions: plan.sessions.length };
}
