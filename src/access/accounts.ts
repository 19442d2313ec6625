/**
 * Accounts: staff of an organisation (login = professional e-mail) and job seekers (login = their
 * France Travail identifier). A login is stored only as a blind index; the password only as an
 * argon2id hash. Password checks live in password-check.ts, sign-in in sign-in.ts; this file creates,
 * finds and lists accounts.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AppError, conflict, forbidden, invalid, isAppError, notFound } from '../domain/errors.js';
import { parseIdentifier } from '../domain/identifier.js';
import { ORGANISATION_KINDS, ROLES_BY_ORGANISATION_KIND } from '../domain/roles.js';
import type { OrganisationKind, Role } from '../domain/roles.js';
import type { DbOrTx } from '../storage/database.js';
import type { AccountTable } from '../storage/schema.js';
import { blindIndex, normaliseEmail } from '../vault/index.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import { UNKNOWN_SOURCE } from './access-deps.js';
import { hashPassword } from './passwords.js';
import { recordSecurityEvent } from './security-events.js';

export const ACCOUNT_STATUSES = ['active', 'probation', 'disabled', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** An account as the rest of the code sees it: never the password hash nor the login index. */
export interface Account {
  readonly id: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly personId: string | null;
  readonly status: AccountStatus;
  /** Staff only; a job seeker's name stays sealed with their file. */
  readonly displayName: string | null;
  readonly email: string | null;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly lastLoginAt: number | null;
  readonly lockedUntil: number | null;
}

export type AccountRow = Selectable<AccountTable>;

/** Who creates an account: an authenticated account (a Reader fits), or the system (CLI, seeding). */
export type Actor =
  { readonly accountId: string; readonly role: Role; readonly organisationId: string | null } | 'system';

export interface NewStaffAccount {
  readonly organisationId: string;
  readonly role: Role;
  readonly email: string;
  readonly displayName: string;
  readonly password: string;
}

export interface NewJobSeekerAccount {
  readonly personId: string;
  /** Their France Travail identifier, which is their login. */
  readonly identifier: string;
  readonly password: string;
}

export const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  role: row.role as Role,
  organisationId: row.organisation_id,
  personId: row.person_id,
  status: row.status as AccountStatus,
  displayName: row.display_name,
  email: row.email,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastLoginAt: row.last_login_at,
  lockedUntil: row.locked_until,
});

/** The blind index of a login, or null if the value cannot be a login. */
export function loginIndex(deps: Pick<AccessDeps, 'keys'>, login: string): Buffer | null {
  try {
    return blindIndex(deps.keys, 'login', login);
  } catch (e) {
    if (isAppError(e) && e.kind === 'invalid') return null;
    throw e;
  }
}

/** The account whose login this is (one indexed lookup), or undefined. */
export async function findAccountRowByLogin(
  deps: Pick<AccessDeps, 'db' | 'keys'>,
  login: string,
): Promise<AccountRow | undefined> {
  const index = loginIndex(deps, login);
  if (index === null) return undefined;
  return deps.db.selectFrom('accounts').selectAll().where('login_index', '=', index).executeTakeFirst();
}

export async function findAccountByLogin(
  deps: Pick<AccessDeps, 'db' | 'keys'>,
  login: string,
): Promise<Account | undefined> {
  const row = await findAccountRowByLogin(deps, login);
  return row && toAccount(row);
}

export async function getAccount(db: DbOrTx, id: string): Promise<Account> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('ACCOUNT.NOT_FOUND', 'Compte introuvable.');
  return toAccount(row);
}

/** Staff accounts of one organisation, oldest first. */
export async function listOrganisationAccounts(db: DbOrTx, organisationId: string): Promise<Account[]> {
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

export interface OrganisationSummary {
  readonly id: string;
  readonly kind: OrganisationKind;
  readonly name: string;
}

export async function getOrganisation(db: DbOrTx, id: string): Promise<OrganisationSummary> {
  const row = await db
    .selectFrom('organisations')
    .select(['id', 'kind', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !(ORGANISATION_KINDS as readonly string[]).includes(row.kind)) {
    throw notFound('ORGANISATION.NOT_FOUND', 'Organisation introuvable.');
  }
  return { id: row.id, kind: row.kind as OrganisationKind, name: row.name };
}

/** The status a new account starts with, or why the actor may not create it. */
function creationStatus(actor: Actor, organisationId: string, role: Role): AccountStatus {
  if (actor === 'system') return 'active';
  if (actor.role !== 'account_manager') {
    throw forbidden('ACCOUNT.CREATE_FORBIDDEN', 'Seul un gestionnaire de comptes peut créer des comptes.');
  }
  if (actor.organisationId !== organisationId) {
    throw forbidden(
      'ACCOUNT.OTHER_ORGANISATION',
      'Vous ne pouvez créer des comptes que dans votre propre organisation.',
    );
  }
  if (role === 'account_manager') {
    throw forbidden(
      'ACCOUNT.ROLE_FORBIDDEN',
      'Un gestionnaire de comptes ne peut pas créer un autre gestionnaire de comptes.',
    );
  }
  return 'probation'; // a new account created by a partner starts under watch (Missions locales, Dec 2025)
}

function checkRoleFits(kind: OrganisationKind, role: Role): void {
  if (role === 'job_seeker' || !ROLES_BY_ORGANISATION_KIND[kind].includes(role)) {
    throw invalid('ACCOUNT.ROLE_MISMATCH', 'Ce rôle n’existe pas dans ce type d’organisation.', {
      allowed: ROLES_BY_ORGANISATION_KIND[kind].join(','),
    });
  }
}

function checkEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalised) || normalised.length > 254) {
    throw invalid('ACCOUNT.EMAIL_INVALID', 'L’adresse électronique n’est pas valide.');
  }
  return normalised;
}

const loginTaken = (): AppError =>
  conflict('ACCOUNT.LOGIN_TAKEN', 'Un compte existe déjà avec cet identifiant de connexion.');

/** Inserts an account and its creation event in one transaction; a taken login is a conflict. */
async function insertAccount(
  deps: AccessDeps,
  row: AccountRow,
  actorId: string | null,
  source: RequestSource,
): Promise<Account> {
  if (await deps.db.selectFrom('accounts').select('id').where('login_index', '=', row.login_index).executeTakeFirst())
    throw loginTaken();
  try {
    await deps.db.transaction().execute(async (tx) => {
      await tx.insertInto('accounts').values(row).execute();
      const details = {
        createdAccountId: row.id,
        role: row.role,
        organisationId: row.organisation_id,
        status: row.status,
      };
      await recordSecurityEvent(tx, {
        at: row.created_at,
        kind: 'account.created',
        accountId: actorId,
        sourceIp: source.ip,
        details,
      });
    });
  } catch (e) {
    const raced = await deps.db
      .selectFrom('accounts')
      .select('id')
      .where('login_index', '=', row.login_index)
      .executeTakeFirst();
    throw raced ? loginTaken() : e;
  }
  return toAccount(row);
}

function newRow(
  deps: AccessDeps,
  fields: Pick<
    AccountRow,
    | 'organisation_id'
    | 'person_id'
    | 'role'
    | 'login_index'
    | 'display_name'
    | 'email'
    | 'password_hash'
    | 'status'
    | 'created_by'
  >,
): AccountRow {
  return {
    ...fields,
    id: randomUUID(),
    approved_by: null,
    created_at: deps.clock.now(),
    last_login_at: null,
    failed_logins: 0,
    locked_until: null,
  };
}

/**
 * Creates a staff account. The role must exist in the organisation's kind; an account manager
 * creates only in their own organisation, never another account manager, and the new account
 * starts in `probation`.
 */
export async function createStaffAccount(
  deps: AccessDeps,
  actor: Actor,
  input: NewStaffAccount,
  source: RequestSource = UNKNOWN_SOURCE,
): Promise<Account> {
  const organisation = await getOrganisation(deps.db, input.organisationId);
  const status = creationStatus(actor, organisation.id, input.role);
  checkRoleFits(organisation.kind, input.role);
  const email = checkEmail(input.email);
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 200) {
    throw invalid('ACCOUNT.NAME_INVALID', 'Le nom affiché doit comporter entre 1 et 200 caractères.');
  }
  const password_hash = await hashPassword(input.password, { login: email, organisationName: organisation.name });
  const login_index = blindIndex(deps.keys, 'login', email);
  const actorId = actor === 'system' ? null : actor.accountId;
  const row = newRow(deps, {
    organisation_id: organisation.id,
    person_id: null,
    role: input.role,
    login_index,
    display_name: displayName,
    email,
    password_hash,
    status,
    created_by: actorId,
  });
  return insertAccount(deps, row, actorId, source);
}

/** The person must exist, be live, carry this identifier, and have no account yet. */
async function checkPersonForAccount(deps: AccessDeps, personId: string, identifier: string): Promise<void> {
  const person = await deps.db
    .selectFrom('people')
    .select(['bi_identifier', 'erased_at'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person || person.erased_at !== null) throw notFound('PERSON.NOT_FOUND', 'Demandeur d’emploi introuvable.');
  const expected = blindIndex(deps.keys, 'identifier', identifier);
  if (person.bi_identifier !== null && !expected.equals(person.bi_identifier)) {
    throw invalid(
      'ACCOUNT.IDENTIFIER_MISMATCH',
      'Cet identifiant France Travail n’est pas celui de ce demandeur d’emploi.',
    );
  }
  const existing = await deps.db
    .selectFrom('accounts')
    .select('id')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (existing) throw conflict('ACCOUNT.EXISTS', 'Ce demandeur d’emploi a déjà un compte.');
}

/** Creates a job seeker's own account (system only: registration, CLI, simulation). */
export async function createJobSeekerAccount(deps: AccessDeps, input: NewJobSeekerAccount): Promise<Account> {
  const identifier = parseIdentifier(input.identifier);
  if (identifier instanceof AppError) throw identifier;
  await checkPersonForAccount(deps, input.personId, identifier);
  const password_hash = await hashPassword(input.password, { login: identifier });
  const login_index = blindIndex(deps.keys, 'login', identifier);
  const row = newRow(deps, {
    organisation_id: null,
    person_id: input.personId,
    role: 'job_seeker',
    login_index,
    display_name: null,
    email: null,
    password_hash,
    status: 'active',
    created_by: null,
  });
  return insertAccount(deps, row, null, UNKNOWN_SOURCE);
}
