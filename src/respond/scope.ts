/**
 * An incident's scope, exactly, from the disclosure log: the distinct people whose data reached
 * the incident's readers in its window, with the fields delivered (a masked answer delivered no
 * identifying field), first and last time, purposes, and totals by category and organisation kind.
 * It is computed under a freshly sealed tree head and counts exactly the rows below it: anyone can
 * recompute it from those rows and prove each of them is in the log (`vigie audit prove --seq`).
 */
import { randomUUID } from 'node:crypto';
import type { LogHead } from '../audit/log-heads.js';
import { conflict } from '../domain/errors.js';
import type { IncidentRecord } from '../storage/incidents-repo.js';
import {
  accountsOfOrganisation,
  appendIncidentEvent,
  findIncident,
  organisationKind,
  organisationKindsOf,
  setIncidentStatus,
} from '../storage/incidents-repo.js';
import type { ScopeHead, ScopeRecord, ScopeTotals } from '../storage/incident-scopes-repo.js';
import { insertScope, latestScope } from '../storage/incident-scopes-repo.js';
import type { ScopeCriteria } from '../storage/scope-repo.js';
import { distinctPeopleOf, incidentPeopleTotals, replaceIncidentPeople } from '../storage/scope-repo.js';
import type { DbOrTx } from '../storage/database.js';
import { advanceTo, incidentNotFound, requireNotClosed } from './incident-rules.js';
import type { Actor, RespondDeps } from './respond-deps.js';

/** RFC 6962: the hash of an empty tree is SHA-256 of the empty string. */
const EMPTY_TREE_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const headOf = (head: LogHead | null, now: number): ScopeHead =>
  head ?? { treeSize: 0, lastSeq: 0, rootHash: EMPTY_TREE_ROOT, createdAt: now };

/** Who read: readers by organisation kind (every session), and single sessions by the kind of their account. */
interface Readers {
  readonly byKind: ReadonlyMap<string, { readers: string[]; sessions: { accountId: string; sessionRef: string }[] }>;
}

async function readersOf(db: DbOrTx, incident: IncidentRecord): Promise<Readers> {
  const kinds = await organisationKindsOf(
    db,
    incident.credentials.map((c) => c.accountId),
  );
  const byKind = new Map<string, { readers: string[]; sessions: { accountId: string; sessionRef: string }[] }>();
  const entry = (kind: string) => {
    let e = byKind.get(kind);
    if (!e) byKind.set(kind, (e = { readers: [], sessions: [] }));
    return e;
  };
  for (const c of incident.credentials) {
    const kind = kinds.get(c.accountId) ?? 'none';
    if (c.sessionRef === null) entry(kind).readers.push(c.accountId);
    else entry(kind).sessions.push({ accountId: c.accountId, sessionRef: c.sessionRef });
  }
  if (incident.organisationId !== null) {
    const kind = (await organisationKind(db, incident.organisationId)) ?? 'none';
    entry(kind).readers.push(...(await accountsOfOrganisation(db, incident.organisationId)));
  }
  for (const e of byKind.values()) e.readers = [...new Set(e.readers)];
  return { byKind };
}

function criteriaOf(incident: IncidentRecord, head: ScopeHead, readers: Readers, only?: string): ScopeCriteria {
  const groups = [...readers.byKind.entries()].filter(([kind]) => only === undefined || kind === only);
  const all = new Set(groups.flatMap(([, g]) => g.readers));
  return {
    incidentId: incident.id,
    readers: [...all],
    // A session of an account already read whole adds nothing.
    sessions: groups.flatMap(([, g]) => g.sessions).filter((s) => !all.has(s.accountId)),
    from: incident.windowFrom,
    to: incident.windowTo,
    lastSeq: head.lastSeq,
  };
}

async function totalsOf(db: DbOrTx, incident: IncidentRecord, head: ScopeHead, readers: Readers): Promise<ScopeTotals> {
  const people = await incidentPeopleTotals(db, incident.id);
  const kinds = [...readers.byKind.keys()];
  const byOrganisationKind: Record<string, { people: number; identifying: number }> = {};
  if (kinds.length === 1)
    byOrganisationKind[kinds[0]!] = { people: people.people, identifying: people.identifyingPeople };
  else
    for (const kind of kinds)
      byOrganisationKind[kind] = await distinctPeopleOf(db, criteriaOf(incident, head, readers, kind));
  return { ...people, byOrganisationKind };
}

/**
 * Computes the incident's scope under a newly sealed head and replaces its people by it (a wider
 * window or more credentials make the next scope a superset). INCIDENT.CLOSED 409.
 */
export async function scopeIncident(deps: RespondDeps, actor: Actor, id: string): Promise<ScopeRecord> {
  const before = await findIncident(deps.store.db, id);
  if (!before) throw incidentNotFound();
  requireNotClosed(before.status);
  const head = headOf(await deps.sealHead(), deps.clock.now());
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (tx) => {
    const incident = await findIncident(tx, id);
    if (!incident) throw incidentNotFound();
    requireNotClosed(incident.status);
    const readers = await readersOf(tx, incident);
    await replaceIncidentPeople(tx, deps.store.capabilities, criteriaOf(incident, head, readers));
    const scope: ScopeRecord = {
      id: randomUUID(),
      incidentId: id,
      number: ((await latestScope(tx, id))?.number ?? 0) + 1,
      computedAt: now,
      computedBy: actor.accountId,
      windowFrom: incident.windowFrom,
      windowTo: incident.windowTo ?? head.createdAt,
      head,
      totals: await totalsOf(tx, incident, head, readers),
    };
    await insertScope(tx, scope);
    const status = advanceTo(incident.status, 'scoped');
    if (status !== incident.status && !(await setIncidentStatus(tx, id, incident.status, status, now)))
      throw conflict('INCIDENT.CHANGED', 'L’incident vient d’être modifié : rechargez-le et recommencez.');
    await appendIncidentEvent(tx, {
      incidentId: id,
      at: now,
      accountId: actor.accountId,
      sourceIp: actor.sourceIp,
      action: 'scoped',
      details: {
        scope: scope.number,
        people: scope.totals.people,
        identifyingPeople: scope.totals.identifyingPeople,
        rows: scope.totals.rows,
        treeSize: head.treeSize,
        rootHash: head.rootHash,
      },
    });
    return scope;
  });
}
