/**
 * Opening, reading and closing incidents. Every change and its security event are one transaction.
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid } from '../domain/errors.js';
import type { BreachClock, IncidentSource, IncidentStatus } from '../domain/incidents.js';
import { breachClock } from '../domain/incidents.js';
import type { IncidentCredential, IncidentRecord, StoredIncidentEvent } from '../storage/incidents-repo.js';
import {
  appendIncidentEvent,
  findIncident,
  incidentEvents,
  insertIncident,
  listIncidents as listIncidentRows,
  nextIncidentReference,
  setIncidentStatus,
} from '../storage/incidents-repo.js';
import type { ScopeRecord } from '../storage/incident-scopes-repo.js';
import { latestScope } from '../storage/incident-scopes-repo.js';
import { accountsExist, organisationExists } from '../storage/respond-lookups.js';
import { firstReportAt } from '../storage/breach-reports-repo.js';
import {
  checkAwareness,
  checkTitle,
  checkWindow,
  incidentNotFound,
  requireCriteria,
  requireNotClosed,
} from './incident-rules.js';
import type { Actor, RespondDeps } from './respond-deps.js';

export interface OpenIncidentInput {
  readonly title: string;
  readonly description?: string;
  readonly source: { readonly kind: IncidentSource; readonly id: string | null };
  readonly credentials: readonly { readonly accountId: string; readonly sessionRef?: string | null }[];
  readonly organisationId?: string | null;
  readonly windowFrom: number;
  readonly windowTo?: number | null;
  /** When France Travail became aware (default: now). */
  readonly awareAt?: number;
  readonly lettersOnly?: boolean;
}

const credentialOf = (c: OpenIncidentInput['credentials'][number]): IncidentCredential => {
  const sessionRef = c.sessionRef?.trim() || null;
  return { kind: sessionRef === null ? 'account' : 'session', accountId: c.accountId, sessionRef };
};

async function checkReferences(deps: RespondDeps, input: OpenIncidentInput): Promise<void> {
  const accounts = [...new Set(input.credentials.map((c) => c.accountId))];
  if (!(await accountsExist(deps.store.db, accounts)))
    throw invalid('INCIDENT.ACCOUNT_UNKNOWN', 'Un des comptes indiqués n’existe pas.');
  const org = input.organisationId ?? null;
  if (org !== null && !(await organisationExists(deps.store.db, org)))
    throw invalid('INCIDENT.ORGANISATION_UNKNOWN', 'L’organisation indiquée n’existe pas.');
}

/** Opens an incident (status `open`); INCIDENT.* 400 on bad input. */
export async function openIncident(deps: RespondDeps, actor: Actor, input: OpenIncidentInput): Promise<IncidentRecord> {
  const now = deps.clock.now();
  const description = input.description?.trim() ?? '';
  const window = { from: input.windowFrom, to: input.windowTo ?? null };
  const organisationId = input.organisationId ?? null;
  const awareAt = input.awareAt ?? now;
  checkTitle(input.title, description);
  checkWindow(window, now);
  checkAwareness(awareAt, now);
  requireCriteria(input.credentials.length, organisationId);
  await checkReferences(deps, input);
  const credentials = dedupe(input.credentials.map(credentialOf));
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.store.db.transaction().execute(async (tx) => {
        const record: IncidentRecord = {
          id: randomUUID(),
          reference: await nextIncidentReference(tx, new Date(now).getUTCFullYear()),
          title: input.title.trim(),
          description,
          status: 'open',
          sourceKind: input.source.kind,
          sourceId: input.source.id,
          organisationId,
          windowFrom: window.from,
          windowTo: window.to,
          awareAt,
          lettersOnly: input.lettersOnly ?? false,
          openedAt: now,
          openedBy: actor.accountId,
          updatedAt: now,
          closedAt: null,
          credentials,
        };
        await insertIncident(tx, record);
        await appendIncidentEvent(tx, {
          incidentId: record.id,
          at: now,
          accountId: actor.accountId,
          sourceIp: actor.sourceIp,
          action: 'opened',
          details: {
            reference: record.reference,
            source: record.sourceKind,
            sourceId: record.sourceId,
            credentials: credentials.length,
            organisationId,
          },
        });
        return record;
      });
    } catch (e) {
      if (attempt >= 3) throw e; // a reference taken by a concurrent opening: count again
    }
  }
}

function dedupe(list: IncidentCredential[]): IncidentCredential[] {
  const seen = new Map(list.map((c) => [`${c.accountId}/${c.sessionRef ?? ''}`, c]));
  return [...seen.values()];
}

export interface IncidentView {
  readonly incident: IncidentRecord;
  readonly clock: BreachClock;
  readonly scope: ScopeRecord | null;
  readonly events: readonly StoredIncidentEvent[];
}

export async function loadIncident(deps: RespondDeps, id: string): Promise<IncidentRecord> {
  const incident = await findIncident(deps.store.db, id);
  if (!incident) throw incidentNotFound();
  return incident;
}

/** The incident with its 72-hour clock, latest scope and timeline. */
export async function showIncident(deps: RespondDeps, id: string): Promise<IncidentView> {
  const incident = await loadIncident(deps, id);
  const db = deps.store.db;
  const [scope, events, reported] = await Promise.all([
    latestScope(db, id),
    incidentEvents(db, id),
    firstReportAt(db, id),
  ]);
  return {
    incident,
    clock: breachClock(incident.awareAt, deps.clock.now(), reported),
    scope: scope ?? null,
    events,
  };
}

export interface IncidentSummary {
  readonly incident: IncidentRecord;
  readonly clock: BreachClock;
}

export async function listIncidents(
  deps: RespondDeps,
  filter: { status?: IncidentStatus; limit?: number } = {},
): Promise<IncidentSummary[]> {
  const rows = await listIncidentRows(deps.store.db, { status: filter.status, limit: filter.limit ?? 100 });
  const now = deps.clock.now();
  return Promise.all(
    rows.map(async (incident) => ({
      incident,
      clock: breachClock(incident.awareAt, now, await firstReportAt(deps.store.db, incident.id)),
    })),
  );
}

export const MIN_CLOSE_REASON = 10;

/** Closes the incident with a stated reason. INCIDENT.CLOSED 409 if it already is. */
export async function closeIncident(
  deps: RespondDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<IncidentRecord> {
  const why = reason.trim();
  if (why.length < MIN_CLOSE_REASON)
    throw invalid('INCIDENT.REASON_REQUIRED', `Indiquez un motif d’au moins ${MIN_CLOSE_REASON} caractères.`);
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (tx) => {
    const incident = await findIncident(tx, id);
    if (!incident) throw incidentNotFound();
    requireNotClosed(incident.status);
    if (!(await setIncidentStatus(tx, id, incident.status, 'closed', now)))
      throw conflict('INCIDENT.CHANGED', 'L’incident vient d’être modifié : rechargez-le et recommencez.');
    await appendIncidentEvent(tx, {
      incidentId: id,
      at: now,
      accountId: actor.accountId,
      sourceIp: actor.sourceIp,
      action: 'closed',
      details: { reason: why, previousStatus: incident.status },
    });
  });
  return loadIncident(deps, id);
}
