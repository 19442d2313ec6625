/** What every notice of an incident says in common, and what each says of its person. */
import type { KeyringSource } from '../vault/keyring.js';
import type { NoticeRecord } from '../storage/notices-repo.js';
import type { IncidentRecord } from '../storage/incidents-repo.js';
import { latestScope } from '../storage/incident-scopes-repo.js';
import { firstReportAt } from '../storage/breach-reports-repo.js';
import { containmentFacts, organisationsOfAccounts } from '../storage/respond-lookups.js';
import type { DbOrTx } from '../storage/database.js';
import type { NoticeFacts } from './notice-text.js';
import { frenchDate } from './notice-text.js';
import { verificationCodeOf } from './verification-code.js';

/** How a notice names whose access was misused. */
const READER_LABELS: Readonly<Record<string, string>> = {
  agency: 'une agence France Travail',
  training: 'un organisme de formation',
  cap_emploi: 'un partenaire Cap emploi',
  mission_locale: 'une Mission locale',
  employer: 'un recruteur',
  national: 'un service national de France Travail',
};

export const readerLabelOf = (kinds: readonly string[]): string => {
  const labels = kinds.map((k) => READER_LABELS[k] ?? 'un partenaire');
  return labels.length === 0 ? 'un partenaire' : labels.join(' et d’');
};

/** Settings of the notices (configuration): where codes are checked, whom to write to. */
export interface NoticeSettings {
  readonly verificationUrl: string;
  readonly dpoContact: string;
  /** The letters' sender block, first line in bold. */
  readonly sender: readonly string[];
  /** « Paris » in « Paris, le 14 juillet 2026 ». */
  readonly place: string;
}

export interface CampaignFacts {
  readonly reference: string;
  readonly awareAt: number;
  readonly readerLabel: string;
  readonly measures: readonly string[];
}

/** The measures taken, in words: suspension, channel closed, the CNIL informed. */
export async function campaignFacts(db: DbOrTx, incident: IncidentRecord): Promise<CampaignFacts> {
  const accounts = incident.credentials.map((c) => c.accountId);
  const organisations = [
    ...(await organisationsOfAccounts(db, accounts)),
    ...(incident.organisationId !== null ? [incident.organisationId] : []),
  ];
  const facts = await containmentFacts(db, accounts, organisations);
  const reported = await firstReportAt(db, incident.id);
  const scope = await latestScope(db, incident.id);
  const measures = [
    ...(facts.credentialSuspendedAt !== null
      ? [`L’accès utilisé a été suspendu le ${frenchDate(facts.credentialSuspendedAt)}.`]
      : []),
    ...(facts.channelClosedAt !== null
      ? [`L’accès de l’organisme concerné à notre système a été fermé le ${frenchDate(facts.channelClosedAt)}.`]
      : []),
    ...(reported !== null
      ? [
          `La Commission nationale de l’informatique et des libertés (CNIL) en a été informée le ${frenchDate(reported)}.`,
        ]
      : []),
    'Nous avons renforcé la surveillance des consultations des dossiers.',
  ];
  return {
    reference: incident.reference,
    awareAt: incident.awareAt,
    readerLabel: readerLabelOf(Object.keys(scope?.totals.byOrganisationKind ?? {})),
    measures,
  };
}

export function noticeFacts(
  keys: KeyringSource,
  settings: NoticeSettings,
  campaign: CampaignFacts,
  notice: NoticeRecord,
  salutation: string | null,
): NoticeFacts {
  return {
    ...campaign,
    fields: notice.fields,
    firstAt: notice.firstAt,
    lastAt: notice.lastAt,
    verificationCode: verificationCodeOf(keys, notice.id),
    verificationUrl: settings.verificationUrl,
    dpoContact: settings.dpoContact,
    salutation,
  };
}
