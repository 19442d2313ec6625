/** Kinds of organisation. */
export const ORGANISATION_KINDS = [
  'agency', // agence France Travail
  'training', // organisme de formation
  'cap_emploi', // Cap emploi (co-managing partner)
  'mission_locale', // Mission locale (co-managing partner)
  'employer', // employeur (recruiters)
  'national', // France Travail national services (security officers)
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles of accounts. A role says what an account may do; whom it may see comes from relationships. */
export const ROLES = [
  'adviser', // conseiller France Travail
  'trainer', // agent d'un organisme de formation
  'partner_adviser', // conseiller Cap emploi / Mission locale
  'account_manager', // gestionnaire de comptes d'un partenaire
  'recruiter', // recruteur
  'job_seeker', // demandeur d'emploi
  'security_officer', // officier de sécurité / DPO
] as const;
export type Role = (typeof ROLES)[number];

/** Which roles belong in which kind of organisation. */
export const ROLES_BY_ORGANISATION_KIND: Readonly<Record<OrganisationKind, readonly Role[]>> = {
  agency: ['adviser', 'account_manager'],
  training: ['trainer', 'account_manager'],
  cap_emploi: ['partner_adviser', 'account_manager'],
  mission_locale: ['partner_adviser', 'account_manager'],
  employer: ['recruiter', 'account_manager'],
  national: ['security_officer'],
};

/** Roles as a person reads them (their access history). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  adviser: 'conseiller France Travail',
  trainer: 'organisme de formation',
  partner_adviser: 'conseiller en cotraitance',
  account_manager: 'gestionnaire de comptes',
  recruiter: 'recruteur',
  job_seeker: 'demandeur d’emploi',
  security_officer: 'officier de sécurité',
};

export const ORGANISATION_KIND_LABELS: Readonly<Record<OrganisationKind, string>> = {
  agency: 'agence France Travail',
  training: 'organisme de formation',
  cap_emploi: 'Cap emploi',
  mission_locale: 'Mission locale',
  employer: 'employeur',
  national: 'France Travail (national)',
};
