/**
 * The words of the budget step: the errors a refused reader receives (stable codes, French, no
 * thresholds: they would teach an attacker the budget), and the explanations and alert messages
 * security officers read (signals, values, thresholds).
 */
import { AppError } from '../domain/errors.js';
import type { Severity } from './alerts.js';
import type { Action, Rung } from './ladder.js';
import { LADDER } from './ladder.js';
import type { LimitProfile, WindowName } from './limits.js';
import { WINDOWS } from './limits.js';
import type { ParisTime } from './paris-time.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS, hourOfWeekLabel } from './paris-time.js';
import type { Assessment } from './signals.js';
import { explainSignals } from './signals.js';

export const stepUpRequired = (): AppError =>
  new AppError(
    'AUTH.STEP_UP_REQUIRED',
    'step_up',
    'Par sécurité, confirmez votre identité avec votre second facteur d’authentification pour continuer.',
  );

export const slowDown = (retryAfterSeconds: number): AppError =>
  new AppError(
    'DETECT.SLOW_DOWN',
    'too_many',
    `Trop de dossiers consultés en peu de temps : réessayez dans ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minute(s).`,
    { retryAfterSeconds },
  );

export const credentialSuspended = (): AppError =>
  new AppError(
    'DETECT.CREDENTIAL_SUSPENDED',
    'forbidden',
    'Votre accès est suspendu par mesure de sécurité. Contactez votre responsable ou l’assistance France Travail.',
  );

export const channelSuspended = (): AppError =>
  new AppError(
    'DETECT.CHANNEL_SUSPENDED',
    'forbidden',
    'L’accès de votre organisation est suspendu par mesure de sécurité. Contactez votre agence France Travail.',
  );

export const MASK_WHY = 'Budget d’exposition atteint : les données identifiantes sont masquées.';

/** Seconds until the window (or the risk cool-down) that slowed the reader turns. */
export function retryAfterSeconds(rule: string, now: number, time: ParisTime): number {
  const ends: Partial<Record<string, number>> = {
    minute: Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS,
    hour: Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS,
    day: time.dayStart + DAY_MS,
    week: time.weekStart + WEEK_MS,
  };
  const end = ends[rule];
  return end === undefined ? LADDER.riskRetryAfterSeconds : Math.max(1, Math.ceil((end - now) / 1000));
}

export interface Explanation {
  readonly action: Action;
  readonly rule: string;
  readonly risk: number;
  readonly profile: LimitProfile;
  readonly mfa: boolean;
  readonly when: string;
  readonly signals: ReturnType<typeof explainSignals>;
  readonly budget: ReadonlyArray<{ window: WindowName; count: number; limit: number }>;
  readonly exceeded: WindowName | null;
  /** The budget of people outside the usual workflow of the day (hour, day, week), when counted. */
  readonly beyondWorkflow?: {
    readonly people: number;
    readonly contact: boolean;
    readonly exceeded: WindowName | null;
    readonly windows: ReadonlyArray<{ window: WindowName; count: number; limit: number }>;
  };
  readonly thresholds: typeof LADDER;
}

export function explain(a: Assessment, rung: Rung, risk: number, profile: LimitProfile): Explanation {
  return {
    action: rung.action,
    rule: rung.rule,
    risk: Math.round(risk * 100) / 100,
    profile,
    mfa: a.mfa,
    when: hourOfWeekLabel(a.time.hourOfWeek),
    signals: explainSignals(a),
    budget: WINDOWS.map((w) => ({ window: w, count: a.counts[w], limit: a.limits[w] })),
    exceeded: a.counts.exceeded,
    ...(a.beyond
      ? {
          beyondWorkflow: {
            people: a.beyond.people,
            contact: a.beyond.contact,
            exceeded: a.beyond.exceeded,
            windows: (['hour', 'day', 'week'] as const).map((w) => ({
              window: w,
              count: a.beyond?.[w] ?? 0,
              limit: a.beyond?.limits[w] ?? 0,
            })),
          },
        }
      : {}),
    thresholds: LADDER,
  };
}

const WINDOW_LABEL: Readonly<Record<WindowName, string>> = {
  minute: 'de la minute',
  hour: 'de l’heure',
  day: 'du jour',
  week: 'de la semaine',
  session: 'de la session',
};

const RULE_LABEL: Readonly<Record<string, string>> = {
  canary: 'un dossier leurre a été consulté',
  risk: 'signaux de risque cumulés',
  risk_over_budget: 'budget dépassé avec des signaux de risque',
  pressure: 'tentatives répétées au-delà du budget',
  beyond_hour: 'dossiers hors du travail habituel du jour : budget de l’heure dépassé',
  beyond_day: 'dossiers hors du travail habituel du jour : budget du jour dépassé',
  beyond_week: 'dossiers hors du travail habituel du jour : budget de la semaine dépassé',
  beyond_pressure: 'dossiers hors du travail habituel : tentatives répétées au-delà de leur budget',
  strikes: 'budget dépassé plusieurs jours de la semaine',
  second_credential: 'second accès suspendu dans la même organisation en 24 h',
};

const ruleLabel = (rule: string): string =>
  (WINDOWS as readonly string[]).includes(rule)
    ? `budget d’exposition ${WINDOW_LABEL[rule as WindowName]} dépassé`
    : (RULE_LABEL[rule] ?? rule);

export function alertMessage(action: Action, rule: string, e: Pick<Explanation, 'signals' | 'risk'>): string {
  const why = `${ruleLabel(rule)} (risque ${e.risk}${e.signals.length ? ` : ${e.signals.map((s) => s.name).join(', ')}` : ''})`;
  switch (action) {
    case 'slow_down':
      return `Consultations ralenties : ${why}.`;
    case 'mask':
      return `Données identifiantes masquées : ${why}.`;
    case 'suspend_credential':
      return `Accès suspendu (session révoquée, compte suspendu) : ${why}.`;
    case 'suspend_channel':
      return `Canal du partenaire suspendu pour toute l’organisation : ${why}.`;
    default:
      return `Vérification renforcée demandée : ${why}.`;
  }
}

export function severityOf(action: Action, rule: string): Severity | null {
  if (action === 'suspend_channel' || rule === 'canary') return 'critical';
  if (action === 'suspend_credential') return 'high';
  if (action === 'mask') return 'medium';
  if (action === 'slow_down') return 'low';
  return null;
}
