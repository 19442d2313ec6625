/**
 * Purposes of a disclosure (finalités). Every read of personal data states one; the presenters
 * decide which fields each role may receive for each purpose, and the log records it.
 */
export const PURPOSES = {
  training_followup: 'Suivi de formation (entrée, assiduité, sortie)',
  training_contact: 'Prise de contact avec un stagiaire',
  portfolio_followup: 'Suivi de mon portefeuille',
  agency_lookup: "Consultation d'un dossier de l'agence",
  prescription: "Prescription d'une formation",
  co_management: 'Accompagnement en cotraitance',
  candidate_search: 'Recherche de profils (pseudonymisés)',
  candidate_contact: 'Mise en relation acceptée par le candidat',
  self_service: 'Mon espace personnel',
  breach_response: 'Information des personnes concernées par une violation de données',
} as const;
export type Purpose = keyof typeof PURPOSES;
export const PURPOSE_NAMES = Object.keys(PURPOSES) as Purpose[];
export const isPurpose = (s: string): s is Purpose => Object.hasOwn(PURPOSES, s);

/** Purposes that open more than the reader's own relationship demand a stated reason, recorded. */
export const PURPOSES_REQUIRING_REASON: ReadonlySet<Purpose> = new Set<Purpose>(['agency_lookup']);
export const MIN_REASON_LENGTH = 10;
