/**
 * The notice to a person exposed by an incident (GDPR art. 34), in plain French: what happened and
 * when, exactly which of their data were consulted, what has been done, the phishing to expect from
 * what was exposed, what to do, how to check that a message is genuine, the DPO and the CNIL.
 * One text for the e-mail and the letter: sections of paragraphs and lists. Pure.
 */
import type { ExposureCategory } from '../domain/incidents.js';
import { categoriesOf } from '../domain/incidents.js';
import type { PersonalField } from '../domain/fields.js';
import { FIELD_LABELS, isPersonalField } from '../domain/fields.js';

export const NBSP = '\u00a0';

export interface NoticeFacts {
  /** Incident reference (VIG-2026-0001). */
  readonly reference: string;
  readonly awareAt: number;
  /** Kinds of the organisations whose access was misused, in words ("un organisme de formation"). */
  readonly readerLabel: string;
  /** The person's exposure, from the scope. */
  readonly fields: readonly string[];
  readonly firstAt: number;
  readonly lastAt: number;
  /** Measures taken, each a sentence (containments, channel closed, report to the CNIL). */
  readonly measures: readonly string[];
  readonly verificationCode: string;
  /** Where to check a code, typed by hand (no link in the message). */
  readonly verificationUrl: string;
  readonly dpoContact: string;
  /** « Madame » or « Monsieur », or null (then « Madame, Monsieur »). */
  readonly salutation: string | null;
}

export interface NoticeSection {
  readonly title: string | null;
  readonly paragraphs: readonly string[];
  readonly bullets?: readonly string[];
}

export interface NoticeText {
  readonly subject: string;
  readonly sections: readonly NoticeSection[];
}

export const NOTICE_SUBJECT = 'France Travail : information sur l’accès à vos données personnelles';

const date = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
export const frenchDate = (t: number): string => date.format(new Date(t)).replace(/ /g, NBSP);

/** French typography: a non-breaking space before « : ; ? ! » and inside guillemets. */
export const typeset = (s: string): string => s.replace(/ ([:;?!»])/g, `${NBSP}$1`).replace(/« /g, `«${NBSP}`);

function when(f: NoticeFacts): string {
  const first = frenchDate(f.firstAt);
  const last = frenchDate(f.lastAt);
  return first === last ? `le ${first}` : `entre le ${first} et le ${last}`;
}

const listOf = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)!}`;

/** The fields as the person reads them, in the register's order, each once. */
export function fieldLabels(fields: readonly string[]): string[] {
  const known = fields.filter(isPersonalField) as PersonalField[];
  const ordered = (Object.keys(FIELD_LABELS) as PersonalField[]).filter((f) => known.includes(f));
  return [...new Set(ordered.map((f) => FIELD_LABELS[f]))];
}

const ADVICE: Readonly<Record<ExposureCategory, string>> = {
  phone:
    'Votre numéro de téléphone a été consulté : vous pourriez recevoir des appels ou des SMS se présentant comme venant de France Travail, d’un conseiller ou d’un organisme de formation. Ne donnez aucune information par téléphone à quelqu’un qui vous appelle : raccrochez et rappelez le 3949.',
  email:
    'Votre adresse électronique a été consultée : vous pourriez recevoir des courriels vous demandant de « mettre à jour » votre dossier, de confirmer votre identité ou de cliquer sur un lien. Ne cliquez pas : rendez-vous vous-même sur francetravail.fr en tapant l’adresse.',
  postal_address:
    'Votre adresse postale a été consultée : méfiez-vous des courriers qui vous demanderaient de rappeler un numéro inconnu, de payer des frais ou de renvoyer des documents.',
  identity:
    'Votre nom et votre identifiant France Travail ont été consultés : une personne mal intentionnée pourrait s’en servir pour paraître crédible. France Travail ne vous demandera jamais votre mot de passe.',
  birth_date:
    'Votre date de naissance a été consultée : elle est souvent demandée pour vérifier une identité ; ne la confirmez jamais à quelqu’un qui vous sollicite.',
  nir: 'Votre numéro de sécurité sociale a été consulté : il pourrait servir à usurper votre identité auprès d’organismes sociaux. Surveillez vos remboursements et vos courriers de l’Assurance maladie (compte ameli) et signalez toute démarche que vous n’avez pas faite.',
};

const ORDER: readonly ExposureCategory[] = ['phone', 'email', 'postal_address', 'identity', 'birth_date', 'nir'];

function adviceOf(categories: readonly ExposureCategory[]): string[] {
  return ORDER.filter((c) => categories.includes(c)).map((c) => ADVICE[c]);
}

function whatHappened(f: NoticeFacts): NoticeSection {
  return {
    title: 'Ce qui s’est passé',
    paragraphs: [
      `Le ${frenchDate(f.awareAt)}, France Travail a constaté que l’accès d’${f.readerLabel} à notre système d’information avait été utilisé de façon frauduleuse pour consulter des dossiers de demandeurs d’emploi.`,
      `Notre journal des consultations montre que votre dossier a été consulté par cet accès ${when(f)}.`,
    ],
  };
}

function whatWasSeen(f: NoticeFacts, categories: readonly ExposureCategory[]): NoticeSection {
  const notSeen = categories.includes('nir') ? [] : ['votre numéro de sécurité sociale'];
  return {
    title: 'Les informations consultées',
    paragraphs: [
      'Seules les informations suivantes de votre dossier ont été consultées :',
      ...(notSeen.length > 0
        ? [
            `Aucune autre information de votre dossier n’a été consultée, en particulier ni ${listOf(notSeen)} ni vos coordonnées bancaires (France Travail ne les conserve pas dans ce dossier).`,
          ]
        : [
            'Aucune autre information de votre dossier n’a été consultée, en particulier aucune coordonnée bancaire (France Travail ne les conserve pas dans ce dossier).',
          ]),
    ],
    bullets: fieldLabels(f.fields),
  };
}

function whatWasDone(f: NoticeFacts): NoticeSection {
  return {
    title: 'Ce que nous avons fait',
    paragraphs: [
      ...f.measures,
      'Nous vous informons, comme l’exige le règlement général sur la protection des données (article 34), parce que ces informations pourraient être utilisées pour vous tromper.',
    ],
  };
}

function whatToExpect(categories: readonly ExposureCategory[]): NoticeSection {
  return {
    title: 'Les risques et les précautions à prendre',
    paragraphs: [
      ...adviceOf(categories),
      'France Travail ne vous demandera jamais, ni par courriel, ni par téléphone, ni par SMS, votre mot de passe, vos coordonnées bancaires ou un code que vous auriez reçu.',
    ],
  };
}

function whatToDo(f: NoticeFacts): NoticeSection {
  return {
    title: 'Ce que vous pouvez faire',
    paragraphs: [
      `Pour vérifier qu’un message vient bien de France Travail, saisissez son code de vérification sur ${f.verificationUrl} (tapez vous-même cette adresse). Le code de ce message est ${f.verificationCode}.`,
      'Si vous recevez un message suspect, ne répondez pas ; signalez les SMS au 33700 et les courriels sur signal-spam.fr. Le site cybermalveillance.gouv.fr vous aide si vous pensez avoir été victime.',
      'Vous pouvez voir dans votre espace personnel, rubrique « Qui a consulté mon dossier », chacune de ces consultations.',
    ],
  };
}

function yourRights(f: NoticeFacts): NoticeSection {
  return {
    title: 'Vos droits',
    paragraphs: [
      `Pour toute question, vous pouvez écrire au délégué à la protection des données de France Travail : ${f.dpoContact}. Rappelez la référence ${f.reference}.`,
      'Vous pouvez aussi adresser une réclamation à la Commission nationale de l’informatique et des libertés (CNIL) : www.cnil.fr/fr/plaintes, ou 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.',
    ],
  };
}

export function noticeText(f: NoticeFacts): NoticeText {
  const categories = categoriesOf(f.fields);
  const sections: NoticeSection[] = [
    { title: null, paragraphs: [f.salutation === null ? 'Madame, Monsieur,' : `${f.salutation},`] },
    whatHappened(f),
    whatWasSeen(f, categories),
    whatWasDone(f),
    whatToExpect(categories),
    whatToDo(f),
    yourRights(f),
    {
      title: null,
      paragraphs: [
        'Nous regrettons sincèrement cette atteinte à vos données et restons à votre disposition.',
        'Le délégué à la protection des données de France Travail',
      ],
    },
  ];
  return {
    subject: NOTICE_SUBJECT,
    sections: sections.map((s) => ({
      title: s.title,
      paragraphs: s.paragraphs.map(typeset),
      ...(s.bullets ? { bullets: s.bullets.map(typeset) } : {}),
    })),
  };
}

/** The notice as plain text (the e-mail's body, a snapshot). */
export function noticePlainText(t: NoticeText): string {
  const out: string[] = [];
  for (const s of t.sections) {
    if (s.title) out.push(s.title.toUpperCase(), '');
    const [lead, ...rest] = s.paragraphs;
    if (s.bullets && lead !== undefined) {
      out.push(lead, ...s.bullets.map((b) => `  – ${b}`), '', ...rest.flatMap((p) => [p, '']));
    } else out.push(...s.paragraphs.flatMap((p) => [p, '']));
  }
  return out.join('\n').trimEnd() + '\n';
}
