/**
 * What an incident opened from a detection alert or a containment starts with: the credential or
 * the partner's channel it names, and a window ending now and beginning 30 days before the fact
 * (the officer widens it when the investigation shows an earlier start).
 */
import { getAlert } from '../detect/alerts.js';
import { getContainment } from '../detect/containment.js';
import { AppError, invalid } from '../domain/errors.js';
import type { DbOrTx } from '../storage/database.js';

export const DEFAULT_LOOKBACK_MS = 30 * 86_400_000;

export interface IncidentSourceDefaults {
  readonly kind: 'alert' | 'containment';
  readonly id: string;
  readonly at: number;
  readonly credentials: readonly { readonly accountId: string }[];
  readonly organisationId: string | null;
  readonly windowFrom: number;
}

const defaults = (
  kind: IncidentSourceDefaults['kind'],
  id: string,
  at: number,
  channel: boolean,
  accountId: string | null,
  organisationId: string | null,
): IncidentSourceDefaults => ({
  kind,
  id,
  at,
  credentials: !channel && accountId !== null ? [{ accountId }] : [],
  organisationId: channel ? organisationId : null,
  windowFrom: at - DEFAULT_LOOKBACK_MS,
});

/** INCIDENT.SOURCE_NOT_FOUND (404) when the alert or containment does not exist. */
export async function incidentSourceOf(
  db: DbOrTx,
  kind: IncidentSourceDefaults['kind'],
  id: string,
): Promise<IncidentSourceDefaults> {
  if (kind === 'alert') {
    const a = await getAlert(db, id);
    if (a) return defaults(kind, id, a.at, a.action === 'suspend_channel', a.accountId, a.organisationId);
  } else {
    const c = await getContainment(db, id);
    if (c) return defaults(kind, id, c.at, c.kind === 'channel', c.accountId, c.organisationId);
  }
  throw new AppError('INCIDENT.SOURCE_NOT_FOUND', 'not_found', 'Alerte ou mesure de confinement introuvable.');
}

/** An incident to open as the officer asked for it (API or CLI), times in epoch milliseconds. */
export interface IncidentRequest {
  readonly title: string;
  readonly description?: string;
  readonly from?: number;
  readonly to?: number | null;
  readonly awareAt?: number;
  readonly credentials: readonly { readonly accountId: string; readonly sessionRef?: string }[];
  readonly organisationId?: string | null;
  readonly alertId?: string;
  readonly containmentId?: string;
  readonly lettersOnly?: boolean;
}

/** The opening's input (respond's OpenIncidentInput): the request completed by its alert or containment. */
export async function incidentOpening(db: DbOrTx, r: IncidentRequest) {
  if (r.alertId !== undefined && r.containmentId !== undefined)
    throw invalid('INCIDENT.ONE_SOURCE', 'Indiquez une alerte ou une mesure de confinement, pas les deux.');
  const source =
    r.alertId !== undefined
      ? await incidentSourceOf(db, 'alert', r.alertId)
      : r.containmentId !== undefined
        ? await incidentSourceOf(db, 'containment', r.containmentId)
        : null;
  const from = r.from ?? source?.windowFrom;
  if (from === undefined) throw invalid('INCIDENT.WINDOW_INVALID', 'Indiquez le début de la période de l’incident.');
  return {
    title: r.title,
    ...(r.description !== undefined ? { description: r.description } : {}),
    source: source ? { kind: source.kind, id: source.id } : { kind: 'manual' as const, id: null },
    credentials: [...(source?.credentials ?? []), ...r.credentials],
    organisationId: r.organisationId ?? source?.organisationId ?? null,
    windowFrom: from,
    windowTo: r.to ?? null,
    ...(r.awareAt !== undefined ? { awareAt: r.awareAt } : {}),
    lettersOnly: r.lettersOnly ?? false,
  };
}
