/**
 * What an incident opened from a detection alert or a containment starts with: the credential or
 * the partner's channel it names, and a window ending now and beginning 30 days before the fact
 * (the officer widens it when the investigation shows an earlier start).
 */
import { getAlert } from '../detect/alerts.js';
import { getContainment } from '../detect/containment.js';
import { AppError } from '../domain/errors.js';
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
