/**
 * `vigie account create`: creates an account as the system (no account manager involved), for
 * staff (--organisation, --login e-mail, --name) or a job seeker (--person, --login identifier).
 * The password is read from standard input with --password-stdin (never from an argument: it would
 * stay in the shell history and the process list), or generated and printed once.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Account } from '../../access/accounts.js';
import { createJobSeekerAccount, createStaffAccount } from '../../access/accounts.js';
import type { AccessDeps } from '../../access/access-deps.js';
import type { Config } from '../../config/config.js';
import { systemClock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { ROLES } from '../../domain/roles.js';
import type { Role } from '../../domain/roles.js';
import { keysOf, withStore } from '../app-context.js';
import type { CliIo } from '../io.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, withStoreOptions } from '../store-options.js';
import { insertRaisedAlert } from '../../detect/alerts.js';

export interface AccountCreateOptions {
  readonly role: string;
  readonly login: string;
  readonly organisation?: string;
  readonly person?: string;
  readonly name?: string;
  readonly passwordStdin?: boolean;
}

const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** 24 characters of base64url: 144 bits, well above the 12-character policy. */
const generatePassword = (): string => randomBytes(18).toString('base64url');

function required(value: string | undefined, option: string, role: Role): string {
  if (value === undefined || value.trim() === '')
    throw invalid('ACCOUNT.OPTION_MISSING', `L’option ${option} est obligatoire pour le rôle ${role}.`);
  return value;
}

async function create(deps: AccessDeps, role: Role, options: AccountCreateOptions, password: string): Promise<Account> {
  if (role === 'job_seeker') {
    return createJobSeekerAccount(deps, {
      personId: required(options.person, '--person', role),
      identifier: options.login,
      password,
    });
  }
  const organisationId = required(options.organisation, '--organisation', role);
  return createStaffAccount(deps, 'system', {
    organisationId,
    role,
    email: options.login,
    displayName: required(options.name, '--name', role),
    password,
  });
}

export async function createAccountCommand(config: Config, io: CliIo, options: AccountCreateOptions): Promise<Account> {
  const role = options.role;
  if (!isRole(role)) throw invalid('ACCOUNT.ROLE_UNKNOWN', `Rôle inconnu « ${role} » : ${ROLES.join(', ')}.`);
  const generated = options.passwordStdin ? null : generatePassword();
  const password = generated ?? (await readStdin(io.stdin));
  const keys = keysOf(config);
  const account = await withStore(config, (store) =>
    create(
      { db: store.db, keys, clock: systemClock, session: config.session, alerts: insertRaisedAlert },
      role,
      options,
      password,
    ),
  );
  io.out(
    `Compte créé : ${account.id} (rôle ${account.role}${account.organisationId ? `, organisation ${account.organisationId}` : ''}, statut ${account.status}).`,
  );
  if (generated) io.out(`Mot de passe (affiché une seule fois) : ${generated}`);
  return account;
}

export function registerAccount(program: Command, io: CliIo): void {
  const account = program.command('account').description('gestion des comptes');
  withStoreOptions(
    account.command('create').description('crée un compte (agent d’une organisation, ou demandeur d’emploi)'),
  )
    .requiredOption('--role <rôle>', `rôle : ${ROLES.join(', ')}`)
    .requiredOption(
      '--login <identifiant>',
      'adresse électronique professionnelle, ou identifiant France Travail d’un demandeur d’emploi',
    )
    .option('--organisation <id>', 'organisation de l’agent')
    .option('--name <nom>', 'nom affiché de l’agent')
    .option('--person <id>', 'dossier du demandeur d’emploi (rôle job_seeker)')
    .option('--password-stdin', 'lit le mot de passe sur l’entrée standard (sinon il est généré et affiché une fois)')
    .action(
      async (flags: AccountCreateOptions & StoreOptions) =>
        void (await createAccountCommand(configOf(io, flags), io, flags)),
    );
}
