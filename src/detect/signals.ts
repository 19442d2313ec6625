/**
 * The signals of the budget step. Each has a score (0 when silent), computed without allocating on
 * every disclosure, and an explanation (value, threshold, French message) built only when a
 * decision other than "allow" has to be justified. Scores add up to the risk of the request.
 */
import type { CredentialBehaviour, WeekSpread } from './behaviour.js';
import type { CountResult } from './counters.js';
import type { AccountState } from './account-state.js';
import type { Limits, WindowName } from './limits.js';
import { NEW_ACCOUNT_MS } from './limits.js';
import type { ParisTime } from './paris-time.js';
import { HOUR_MS, hourOfWeekLabel } from './paris-time.js';
import type { SessionFacts } from './session-facts.js';

export interface Assessment {
  readonly accountId: string;
  readonly role: string;
  readonly sourceIp: string | null;
  readonly mfa: boolean;
  readonly peopleCount: number;
  readonly now: number;
  readonly time: ParisTime;
  readonly state: AccountState;
  readonly session: SessionFacts;
  readonly behaviour: CredentialBehaviour | undefined;
  /** A recruiter's search facets this week, across sessions. */
  readonly week?: WeekSpread | undefined;
  readonly limits: Limits;
  readonly counts: CountResult;
  /** People whose contact details were disclosed today, this request included (0 if it has none). */
  readonly contacts: number;
  readonly contactLimit: number;
  /** A canary was among the people of a pseudonymised disclosure. */
  readonly canaryProfile: boolean;
  /** People outside the account's usual workflow of the day (workflow.ts), null when none or not counted. */
  readonly beyond?: BeyondCount | null;
}

/** The budget of people outside the usual workflow, as counted for this request. */
export interface BeyondCount {
  readonly exceeded: WindowName | null;
  /** The counts are those of contact details outside the workflow (their budget was exceeded). */
  readonly contact: boolean;
  /** People of this request outside the workflow. */
  readonly people: number;
  readonly hour: number;
  readonly day: number;
  readonly week: number;
  readonly limits: Limits;
}

export interface SignalDetail {
  readonly name: string;
  readonly score: number;
  readonly value: number | string;
  readonly threshold: number | string;
  readonly message: string;
}

export interface Signal {
  readonly name: string;
  /** Context signals are halved for a session proven by a second factor; behaviour signals are not. */
  readonly context: boolean;
  score(a: Assessment): number;
  explain(a: Assessment, score: number): SignalDetail;
}

export const THRESHOLDS = {
  officeHours: [7, 20] as const,
  nightHours: [22, 6] as const,
  breadthMinReachable: 50,
  breadthShare: [0.25, 0.5] as const,
  pagingRun: [10, 30] as const,
  pagesPerHour: 40,
  missesPerHour: [10, 50] as const,
  newAccountBulk: 20,
  /** The minute window itself slows the reader down; the pace signal adds risk far beyond it. */
  paceFactor: 2,
  fanout: [20, 100] as const,
  recruiterRomes: 8,
  recruiterDepartements: 5,
  /** Spread (multiple of the two thresholds above) at which a recruiter's searches are harvesting. */
  recruiterHarvest: 3,
  /** The same over the week, across sessions. */
  recruiterWeeklyHarvest: 5,
};

const staff = (a: Assessment) => a.role !== 'job_seeker';
const currentHour = (a: Assessment, b: CredentialBehaviour | undefined): b is CredentialBehaviour =>
  b !== undefined && b.hour === Math.floor(a.now / HOUR_MS);
const detail = (
  name: string,
  score: number,
  value: number | string,
  threshold: number | string,
  message: string,
): SignalDetail => ({ name, score, value, threshold, message });

const newDevice: Signal = {
  name: 'new_device',
  context: true,
  score: ({ session: s }) => (!s.known ? 0 : !s.hasHistory ? 0.5 : (s.ipNew ? 0.5 : 0) + (s.userAgentNew ? 0.5 : 0)),
  explain: ({ session: s }, score) =>
    detail(
      'new_device',
      score,
      [s.ipNew ? 'réseau' : '', s.userAgentNew ? 'appareil' : ''].filter(Boolean).join(' + ') || 'aucun historique',
      '30 jours',
      'Session ouverte depuis un réseau ou un appareil jamais vu pour ce compte depuis 30 jours.',
    ),
};

function offHoursScore(a: Assessment): number {
  if (!staff(a)) return 0;
  const { hour, weekday, hourOfWeek } = a.time;
  const usual = a.state.baseline?.usualHours ?? null;
  if (usual !== null && usual[hourOfWeek] === 1) return 0;
  const office = weekday < 5 && hour >= THRESHOLDS.officeHours[0] && hour < THRESHOLDS.officeHours[1];
  if (office) return usual === null ? 0 : 0.25;
  const night = hour >= THRESHOLDS.nightHours[0] || hour < THRESHOLDS.nightHours[1];
  return night || weekday >= 5 ? 1 : 0.75;
}

const offHours: Signal = {
  name: 'off_hours',
  context: true,
  score: offHoursScore,
  explain: (a, score) =>
    detail(
      'off_hours',
      score,
      hourOfWeekLabel(a.time.hourOfWeek),
      a.state.baseline?.usualHours ? 'heures habituelles du compte' : 'lundi-vendredi 7 h-20 h',
      'Consultation en dehors des heures habituelles de travail du compte (soir, nuit ou week-end).',
    ),
};

const pace: Signal = {
  name: 'pace',
  context: false,
  score: (a) => (a.counts.minute > THRESHOLDS.paceFactor * a.limits.minute ? 1 : 0),
  explain: (a, score) =>
    detail(
      'pace',
      score,
      a.counts.minute,
      THRESHOLDS.paceFactor * a.limits.minute,
      'Rythme de consultation (personnes par minute) bien au-delà de la limite du compte.',
    ),
};

function breadthShare(a: Assessment): number {
  const b = a.state.baseline;
  if (!b || b.reachable < THRESHOLDS.breadthMinReachable) return 0;
  return Math.max(0, a.counts.week - b.portfolio) / b.reachable;
}

function breadthScore(a: Assessment): number {
  if (a.role === 'recruiter') {
    // Over the week, across sessions: five times the daily thresholds (40 ROME codes or 25
    // départements) is a harvest paced over days; real recruiters search a handful of pairs.
    const w = a.week;
    const weekly = w
      ? Math.max(w.romes.size / THRESHOLDS.recruiterRomes, w.departements.size / THRESHOLDS.recruiterDepartements)
      : 0;
    if (weekly >= THRESHOLDS.recruiterWeeklyHarvest) return 4;
    const b = a.behaviour;
    if (!b || b.day !== a.time.day) return 0;
    const spread = Math.max(
      b.romes.size / THRESHOLDS.recruiterRomes,
      b.departements.size / THRESHOLDS.recruiterDepartements,
    );
    // Three times the thresholds (24 ROME codes or 15 départements in a day) is harvesting (2021):
    // enough on its own to suspend, before candidates answer the requests it sends.
    return spread >= THRESHOLDS.recruiterHarvest ? 4 : spread >= 2 ? 2 : spread >= 1 ? 1 : 0;
  }
  const share = breadthShare(a);
  return share >= THRESHOLDS.breadthShare[1] ? 1 : share >= THRESHOLDS.breadthShare[0] ? 0.5 : 0;
}

const breadth: Signal = {
  name: 'breadth',
  context: false,
  score: breadthScore,
  explain: (a, score) =>
    a.role === 'recruiter'
      ? detail(
          'breadth',
          score,
          `${a.behaviour?.romes.size ?? 0} codes ROME, ${a.behaviour?.departements.size ?? 0} départements${a.week ? ` (semaine : ${a.week.romes.size} codes ROME, ${a.week.departements.size} départements)` : ''}`,
          `${THRESHOLDS.recruiterRomes} codes ROME ou ${THRESHOLDS.recruiterDepartements} départements par jour`,
          'Recherches de profils dispersées sur de nombreux métiers et départements.',
        )
      : detail(
          'breadth',
          score,
          Math.round(breadthShare(a) * 100) / 100,
          THRESHOLDS.breadthShare[0],
          'Part de la population accessible consultée cette semaine, au-delà du portefeuille habituel.',
        ),
};

function pagingScore(a: Assessment): number {
  const b = a.behaviour;
  if (!currentHour(a, b)) return 0;
  const run = b.run >= THRESHOLDS.pagingRun[1] ? 2 : b.run >= THRESHOLDS.pagingRun[0] ? 1 : 0;
  const many = b.pagesThisHour >= THRESHOLDS.pagesPerHour ? 1 : 0;
  return Math.max(run, many) + (b.exhaustive && run > 0 ? 0.5 : 0);
}

const paging: Signal = {
  name: 'paging',
  context: false,
  score: pagingScore,
  explain: (a, score) =>
    detail(
      'paging',
      score,
      `${a.behaviour?.run ?? 0} pages consécutives, ${a.behaviour?.pagesThisHour ?? 0} pages dans l’heure${a.behaviour?.exhaustive ? ', jusqu’à la dernière' : ''}`,
      `${THRESHOLDS.pagingRun[0]} pages consécutives ou ${THRESHOLDS.pagesPerHour} par heure`,
      'Parcours séquentiel ou exhaustif de listes, page après page.',
    ),
};

const failedLookups: Signal = {
  name: 'failed_lookups',
  context: false,
  score: (a) => {
    const b = a.behaviour;
    if (!currentHour(a, b)) return 0;
    return b.missesThisHour >= THRESHOLDS.missesPerHour[1]
      ? 2
      : b.missesThisHour >= THRESHOLDS.missesPerHour[0]
        ? 1
        : 0;
  },
  explain: (a, score) =>
    detail(
      'failed_lookups',
      score,
      a.behaviour?.missesThisHour ?? 0,
      THRESHOLDS.missesPerHour[0],
      'Nombreuses recherches sans résultat dans l’heure (énumération d’identifiants).',
    ),
};

const contactBeyondWorkflow: Signal = {
  name: 'contact_beyond_workflow',
  context: false,
  score: (a) => (a.contacts > a.contactLimit ? 1 : 0),
  explain: (a, score) =>
    detail(
      'contact_beyond_workflow',
      score,
      a.contacts,
      a.contactLimit,
      'Coordonnées (courriel, téléphone) demandées pour plus de personnes que le travail habituel du compte.',
    ),
};

const isNew = (a: Assessment) =>
  a.state.status === 'probation' || a.state.status === 'unknown' || a.now - a.state.createdAt < NEW_ACCOUNT_MS;

const newAccountBulk: Signal = {
  name: 'new_account_bulk',
  context: false,
  score: (a) => (isNew(a) && a.counts.day > THRESHOLDS.newAccountBulk ? 1 : 0),
  explain: (a, score) =>
    detail(
      'new_account_bulk',
      score,
      a.counts.day,
      THRESHOLDS.newAccountBulk,
      'Compte récent ou en période probatoire consultant de nombreux dossiers.',
    ),
};

const sessionReuse: Signal = {
  name: 'session_reuse',
  context: true,
  score: ({ session: s, sourceIp }) =>
    s.known && s.createdIp !== null && sourceIp !== null && sourceIp !== s.createdIp ? 1 : 0,
  explain: (_a, score) =>
    detail(
      'session_reuse',
      score,
      'autre adresse',
      'adresse d’ouverture de la session',
      'Session utilisée depuis une autre adresse que celle où elle a été ouverte (jeton rejoué ?).',
    ),
};

const networkFanout: Signal = {
  name: 'network_fanout',
  context: false,
  score: (a) =>
    a.role !== 'job_seeker'
      ? 0
      : a.counts.fanout >= THRESHOLDS.fanout[1]
        ? 2
        : a.counts.fanout >= THRESHOLDS.fanout[0]
          ? 1
          : 0,
  explain: (a, score) =>
    detail(
      'network_fanout',
      score,
      a.counts.fanout,
      THRESHOLDS.fanout[0],
      'De nombreux comptes de demandeurs d’emploi utilisés depuis le même réseau dans l’heure.',
    ),
};

const canaryProfile: Signal = {
  name: 'canary_profile',
  context: false,
  score: (a) => (a.canaryProfile ? 2 : 0),
  explain: (_a, score) =>
    detail(
      'canary_profile',
      score,
      1,
      0,
      'Un profil leurre, qu’aucun travail réel n’atteint, figure parmi les profils consultés.',
    ),
};

export const SIGNALS: readonly Signal[] = [
  newDevice,
  offHours,
  pace,
  breadth,
  paging,
  failedLookups,
  contactBeyondWorkflow,
  newAccountBulk,
  sessionReuse,
  networkFanout,
  canaryProfile,
];

/** The combined risk of a request: the sum of its signals, context signals halved under MFA. */
export function riskOf(a: Assessment): number {
  let total = 0;
  for (const s of SIGNALS) {
    const score = s.score(a);
    if (score > 0) total += s.context && a.mfa ? score / 2 : score;
  }
  return total;
}

export function explainSignals(a: Assessment): SignalDetail[] {
  const out: SignalDetail[] = [];
  for (const s of SIGNALS) {
    const score = s.score(a);
    if (score > 0) out.push(s.explain(a, s.context && a.mfa ? score / 2 : score));
  }
  return out;
}
