/**
 * Demo credentials. Every seeded account of a role shares that role's demo password, printed by
 * `vigie demo`: these accounts are for a local demonstration, never for real data. Hashing a
 * password with argon2id costs about 50 ms, so each distinct password is hashed once and the hash
 * reused for thousands of accounts (argon2 salts per hash, not per account: equal hashes here are
 * expected, and harmless for passwords that are public anyway).
 */
import { hashPassword } from '../../access/passwords.js';
import type { Role } from '../../domain/roles.js';
import { identifierOfIndex } from './ids.js';
import type { SeedPlan } from './plan-types.js';

export type SeededRole = Exclude<Role, 'security_officer'>;

export const DEMO_PASSWORDS: Readonly<Record<SeededRole, string>> = {
  adviser: 'Conseiller-Demo-2026',
  trainer: 'Formateur-Demo-2026',
  partner_adviser: 'Partenaire-Demo-2026',
  account_manager: 'Gestionnaire-Demo-2026',
  recruiter: 'Recruteur-Demo-2026',
  job_seeker: 'Demandeur-Demo-2026',
};

export type PasswordHashes = Readonly<Record<SeededRole, string>>;

/** One argon2id hash per role, computed once per seed. */
export async function hashDemoPasswords(): Promise<PasswordHashes> {
  const entries = await Promise.all(
    (Object.entries(DEMO_PASSWORDS) as [SeededRole, string][]).map(
      async ([role, password]) => [role, await hashPassword(password)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<SeededRole, string>;
}

export interface DemoLogin {
  /** The persona, in French, as the demo prints it. */
  readonly persona: string;
  readonly role: SeededRole;
  readonly organisation: string;
  readonly login: string;
  readonly password: string;
}

const organisationName = (plan: SeedPlan, id: string): string =>
  plan.organisations.find((o) => o.id === id)?.name ?? '';

/**
 * One login per persona, each with something to see: the adviser of person 0, a trainer where
 * person 0 is in training, a Mission locale adviser of the same area, the recruiter person 0
 * answered, an account manager of the agency, and person 0 (whose login is their identifier).
 */
export function demoLogins(plan: SeedPlan): DemoLogin[] {
  const { adviser, trainer, partnerAdviser, recruiter, accountManager } = plan.showcase;
  const staff = (persona: string, member: typeof adviser, role: SeededRole): DemoLogin => ({
    persona,
    role,
    organisation: organisationName(plan, member.organisationId),
    login: member.email,
    password: DEMO_PASSWORDS[role],
  });
  const agency = plan.agencies[0]?.organisationId ?? '';
  return [
    staff('Conseiller France Travail', adviser, 'adviser'),
    staff('Organisme de formation', trainer, 'trainer'),
    staff('Conseiller Mission locale (cotraitance)', partnerAdviser, 'partner_adviser'),
    staff('Recruteur', recruiter, 'recruiter'),
    {
      persona: 'Demandeur d’emploi',
      role: 'job_seeker',
      organisation: organisationName(plan, agency),
      login: identifierOfIndex(plan.seed)(0),
      password: DEMO_PASSWORDS.job_seeker,
    },
    staff('Gestionnaire de comptes', accountManager, 'account_manager'),
  ];
}
