/**
 * What `vigie incident …` runs with: the store, the keys, the system clock, the response use
 * cases' deps, and the security officer acting (`--as <login>`): every action is recorded under
 * that account, and the people's names and addresses are read through the gate as that officer.
 */
import { randomUUID } from 'node:crypto';
import { findAccountByLogin } from '../access/accounts.js';
import type { Config } from '../config/config.js';
import { systemClock } from '../domain/clock.js';
import { AppError } from '../domain/errors.js';
import type { Reader } from '../disclosure/reader.js';
import type { Actor, RespondDeps } from '../respond/respond-deps.js';
import { advanceDisclosureLogHead } from '../services/log-heads.js';
import type { Store } from '../storage/database.js';
import type { KeyringSource } from '../vault/keyring.js';
import { keysOf, withStore } from './app-context.js';

export interface IncidentContext {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: typeof systemClock;
  readonly deps: RespondDeps;
}

export interface Officer {
  readonly actor: Actor;
  readonly reader: Reader;
}

export async function withIncidentContext<T>(config: Config, work: (c: IncidentContext) => Promise<T>): Promise<T> {
  const keys = keysOf(config);
  return withStore(config, (store) => {
    const clock = systemClock;
    return work({
      store,
      keys,
      clock,
      deps: { store, clock, sealHead: () => advanceDisclosureLogHead({ store, keys, clock }) },
    });
  });
}

/** The active security officer account of this login; INCIDENT.OFFICER_UNKNOWN otherwise. */
export async function officerOf(c: IncidentContext, login: string | undefined): Promise<Officer> {
  const account = login === undefined ? undefined : await findAccountByLogin({ db: c.store.db, keys: c.keys }, login);
  if (!account || account.role !== 'security_officer' || account.status !== 'active')
    throw new AppError(
      'INCIDENT.OFFICER_UNKNOWN',
      'invalid',
      'Indiquez avec --as l’identifiant d’un compte actif d’officier de sécurité (ou de DPO).',
    );
  return {
    actor: { accountId: account.id, sourceIp: null },
    reader: {
      accountId: account.id,
      role: account.role,
      organisationId: account.organisationId,
      organisationKind: 'national',
      personId: null,
      sessionRef: 'cli',
      sourceIp: null,
      requestId: randomUUID(),
      assurance: 'mfa',
    },
  };
}
