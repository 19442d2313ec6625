/**
 * Machine clients: an organisation's integration (a training organisation's software, the mobile
 * app's back end) authenticates with client credentials and acts as a *service account* of that
 * organisation, with the role its scopes belong to. An account manager creates it in their own
 * organisation; like any account they create, the service account starts on probation until a second
 * person approves it (POST /api/accounts/:id/approve): a compromised manager cannot mint a bulk reader.
 * The client secret (256 bits) is shown once and stored as SHA-256: its entropy makes a slow hash
 * pointless, and keeps argon2 out of a hot path.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { forbidden, invalid } from '../domain/errors.js';
import { ROLES_BY_ORGANISATION_KIND } from '../domain/roles.js';
import type { Role } from '../domain/roles.js';
import { blindIndex } from '../vault/index.js';
import type { AccessDeps, RequestSource } from './access-deps.js';
import type { Overseer } from './lifecycle.js';
import { putOnProbation } from './lifecycle.js';
import type { MachineScope } from './machine-scopes.js';
import { roleOfScopes } from './machine-scopes.js';
import { recordSecurityEvent } from './security-events.js';

export const DEFAULT_RATE_PER_MINUTE = 120;
export const DEFAULT_BURST = 30;
/** Never a valid argon2 hash: a service account cannot sign in with a password. */
const NO_PASSWORD = '!service-account';

export interface NewMachineClient {
  readonly label: string;
  readonly scopes: readonly MachineScope[];
  readonly ratePerMinute?: number;
  readonly burst?: number;
}

export interface MachineClient {
  readonly id: string;
  readonly organisationId: string;
  readonly accountId: string;
  readonly label: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly ratePerMinute: number;
  readonly burst: number;
  readonly createdAt: number;
}

export const hashSecret = (secret: string): Buffer =>
  createHash('sha256').update('vigie/machine/v1\0').update(secret, 'utf8').digest();

function checkRequest(actor: Overseer, input: NewMachineClient): { organisationId: string; role: Role } {
  if (actor.role !== 'account_manager' || actor.organisationId === null || actor.organisationKind === null) {
    throw forbidden(
      'MACHINE.CREATE_FORBIDDEN',
      'Seul un gestionnaire de comptes peut créer un client machine, dans sa propre organisation.',
    );
  }
  const role = roleOfScopes(input.scopes);
  if (role === null || !ROLES_BY_ORGANISATION_KIND[actor.organisationKind].includes(role)) {
    throw invalid('MACHINE.SCOPES_INVALID', 'Ces droits ne correspondent pas à un seul rôle de votre organisation.');
  }
  return { organisationId: actor.organisationId, role };
}

/** Creates a client and its service account (on probation); returns the client and its secret, shown once. */
export async function createMachineClient(
  deps: AccessDeps,
  actor: Overseer,
  input: NewMachineClient,
  source: RequestSource,
): Promise<{ client: MachineClient; secret: string }> {
  const { organisationId, role } = checkRequest(actor, input);
  const id = randomUUID();
  const accountId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const client: MachineClient = {
    id,
    organisationId,
    accountId,
    label: input.label,
    role,
    scopes: [...input.scopes],
    ratePerMinute: input.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
    burst: input.burst ?? DEFAULT_BURST,
    createdAt: now,
  };
  const login_index = blindIndex(deps.keys, 'login', `client-${id}@machines.vigie.invalid`);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('accounts')
      .values({
        id: accountId,
        organisation_id: organisationId,
        person_id: null,
        role,
        login_index,
        display_name: `Client machine : ${input.label}`,
        email: null,
        password_hash: NO_PASSWORD,
        status: 'probation',
        created_by: actor.accountId,
        approved_by: null,
        created_at: now,
        last_login_at: null,
        failed_logins: 0,
        locked_until: null,
      })
      .execute();
    await putOnProbation(tx, accountId, 'created', actor.accountId, now);
    await tx
      .insertInto('machine_clients')
      .values({
        id,
        organisation_id: organisationId,
        account_id: accountId,
        label: input.label,
        secret_hash: hashSecret(secret),
        scopes: client.scopes.join(' '),
        rate_per_minute: client.ratePerMinute,
        burst: client.burst,
        created_by: actor.accountId,
        created_at: now,
        disabled_at: null,
      })
      .execute();
    const details = { actorId: actor.accountId, clientId: id, role, scopes: client.scopes.join(' ') };
    await recordSecurityEvent(tx, { at: now, kind: 'machine.client_created', accountId, sourceIp: source.ip, details });
  });
  return { client, secret };
}

/** The machine clients of an organisation, oldest first. */
export async function listMachineClients(
  deps: Pick<AccessDeps, 'db'>,
  organisationId: string,
): Promise<MachineClient[]> {
  const rows = await deps.db
    .selectFrom('machine_clients as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select([
      'c.id',
      'c.organisation_id',
      'c.account_id',
      'c.label',
      'a.role',
      'c.scopes',
      'c.rate_per_minute',
      'c.burst',
      'c.created_at',
    ])
    .where('c.organisation_id', '=', organisationId)
    .where('c.disabled_at', 'is', null)
    .orderBy('c.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    accountId: r.account_id,
    label: r.label,
    role: r.role as Role,
    scopes: r.scopes.split(' '),
    ratePerMinute: r.rate_per_minute,
    burst: r.burst,
    createdAt: r.created_at,
  }));
}
