/**
 * What may be done to an incident, and in which state: each refusal a named function with a stable
 * code. The status is the furthest milestone reached (see domain/incidents.ts).
 */
import { AppError, conflict, invalid } from '../domain/errors.js';
import type { IncidentStatus } from '../domain/incidents.js';
import {
  INCIDENT_DESCRIPTION_MAX,
  INCIDENT_STATUSES,
  INCIDENT_TITLE_MAX,
  INCIDENT_TITLE_MIN,
  MAX_WINDOW_MS,
} from '../domain/incidents.js';

/** The status after reaching `milestone` from `current`: never backwards. */
export const advanceTo = (current: IncidentStatus, milestone: IncidentStatus): IncidentStatus =>
  INCIDENT_STATUSES.indexOf(milestone) > INCIDENT_STATUSES.indexOf(current) ? milestone : current;

export function requireNotClosed(status: IncidentStatus): void {
  if (status === 'closed') throw conflict('INCIDENT.CLOSED', 'Cet incident est clos : il ne peut plus être modifié.');
}

export function requireScoped(status: IncidentStatus): void {
  requireNotClosed(status);
  if (status === 'open')
    throw conflict('INCIDENT.NOT_SCOPED', 'Établissez d’abord le périmètre de l’incident (personnes exposées).');
}

export interface WindowInput {
  readonly from: number;
  readonly to: number | null;
}

export function checkWindow(w: WindowInput, now: number): void {
  if (!Number.isFinite(w.from) || (w.to !== null && !Number.isFinite(w.to)))
    throw invalid('INCIDENT.WINDOW_INVALID', 'La période de l’incident est invalide.');
  if (w.to !== null && w.to <= w.from)
    throw invalid('INCIDENT.WINDOW_INVALID', 'La fin de la période doit suivre son début.');
  if (w.from > now) throw invalid('INCIDENT.WINDOW_INVALID', 'La période ne peut pas commencer dans le futur.');
  if ((w.to ?? now) - w.from > MAX_WINDOW_MS)
    throw invalid('INCIDENT.WINDOW_TOO_LONG', 'La période d’un incident ne peut dépasser 400 jours.');
}

export function checkAwareness(awareAt: number, now: number): void {
  if (!Number.isFinite(awareAt) || awareAt > now)
    throw invalid(
      'INCIDENT.AWARENESS_INVALID',
      'La prise de connaissance de l’incident ne peut pas être dans le futur.',
    );
}

export function checkTitle(title: string, description: string): void {
  const t = title.trim();
  if (t.length < INCIDENT_TITLE_MIN || t.length > INCIDENT_TITLE_MAX)
    throw invalid(
      'INCIDENT.TITLE_INVALID',
      `Le titre de l’incident doit compter de ${INCIDENT_TITLE_MIN} à ${INCIDENT_TITLE_MAX} caractères.`,
    );
  if (description.length > INCIDENT_DESCRIPTION_MAX)
    throw invalid('INCIDENT.DESCRIPTION_TOO_LONG', 'La description de l’incident est trop longue (4 000 caractères).');
}

export function requireCriteria(credentials: number, organisationId: string | null): void {
  if (credentials === 0 && organisationId === null)
    throw invalid(
      'INCIDENT.NO_CRITERIA',
      'Indiquez au moins un identifiant (compte ou session) ou le canal d’une organisation.',
    );
}

export const incidentNotFound = (): AppError =>
  new AppError('INCIDENT.NOT_FOUND', 'not_found', 'Incident introuvable.');
