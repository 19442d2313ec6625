/** Schemas and views of the incident routes (respond/). Ids, counts and field names: the people's names only in /people. */
import { z } from 'zod';
import { CREDENTIAL_KINDS, EXPOSURE_CATEGORIES, INCIDENT_SOURCES, INCIDENT_STATUSES } from '../../domain/incidents.js';
import type { BreachClock } from '../../domain/incidents.js';
import type { IncidentSummary, IncidentView } from '../../respond/incidents.js';
import type { ScopeRecord } from '../../storage/incident-scopes-repo.js';
import type { IncidentRecord } from '../../storage/incidents-repo.js';
import { Instant, Uuid, iso, isoOrNull } from '../common-schemas.js';

const DateTime = z.iso.datetime({ offset: true });

export const OpenIncidentBody = z.object({
  title: z.string().trim().min(5).max(200),
  description: z.string().max(4000).optional(),
  from: DateTime.optional().meta({
    description: 'Début de la période (défaut : 30 jours avant l’alerte ou la mesure).',
  }),
  to: DateTime.nullable()
    .optional()
    .meta({ description: 'Fin de la période (exclue) ; absente : jusqu’au calcul du périmètre.' }),
  awareAt: DateTime.optional().meta({
    description: 'Prise de connaissance par France Travail : départ du délai de 72 heures (défaut : maintenant).',
  }),
  credentials: z
    .array(z.object({ accountId: Uuid, sessionRef: z.string().trim().min(1).max(200).optional() }))
    .max(100)
    .default([]),
  organisationId: Uuid.nullable()
    .optional()
    .meta({ description: 'Canal d’une organisation partenaire : tous ses comptes.' }),
  alertId: Uuid.optional(),
  containmentId: Uuid.optional(),
  lettersOnly: z
    .boolean()
    .default(false)
    .meta({ description: 'Prévenir par courrier même quand une adresse électronique existe.' }),
});

export const IncidentsQuery = z.object({
  status: z.enum(INCIDENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const IncidentParams = z.object({ id: Uuid });
export const PeopleQuery = z.object({
  after: Uuid.optional().meta({ description: 'Identifiant de la dernière personne de la page précédente.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const CloseBody = z.object({ reason: z.string().trim().min(10).max(1000) });

const ClockView = z.object({
  awareAt: Instant,
  deadline: Instant.meta({ description: 'Prise de connaissance + 72 heures (RGPD, art. 33).' }),
  remainingMinutes: z.number().meta({ description: 'Négatif une fois le délai dépassé ; arrêté au premier rapport.' }),
  overdue: z.boolean(),
});

export const IncidentSchema = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  source: z.object({ kind: z.enum(INCIDENT_SOURCES), id: z.string().nullable() }),
  credentials: z.array(
    z.object({ kind: z.enum(CREDENTIAL_KINDS), accountId: z.string(), sessionRef: z.string().nullable() }),
  ),
  organisationId: z.string().nullable(),
  window: z.object({ from: Instant, to: Instant.nullable() }),
  lettersOnly: z.boolean(),
  openedAt: Instant,
  openedBy: z.string(),
  closedAt: Instant.nullable(),
  clock: ClockView,
});

const Counts = z.object({ people: z.number(), identifying: z.number() });
export const ScopeSchema = z.object({
  number: z.number(),
  computedAt: Instant,
  window: z.object({ from: Instant, to: Instant }),
  head: z
    .object({
      treeSize: z.number(),
      lastSeq: z.number(),
      rootHash: z.string(),
      createdAt: Instant,
    })
    .meta({
      description: 'Tête d’arbre scellée sous laquelle les lignes ont été comptées (preuves : vigie audit prove).',
    }),
  people: z.number(),
  identifyingPeople: z.number().meta({ description: 'Personnes dont au moins un champ identifiant a été transmis.' }),
  rows: z.number(),
  byCategory: z.record(z.enum(EXPOSURE_CATEGORIES), z.number()),
  byOrganisationKind: z.record(z.string(), Counts),
});

export const IncidentDetail = z.object({
  incident: IncidentSchema,
  scope: ScopeSchema.nullable(),
  events: z.array(
    z.object({
      at: Instant,
      accountId: z.string().nullable(),
      action: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const ScopedPersonSchema = z.object({
  personId: z.string(),
  name: z
    .object({ identifier: z.string(), civility: z.string(), lastName: z.string(), firstNames: z.string() })
    .nullable(),
  fields: z.array(z.string()),
  categories: z.array(z.enum(EXPOSURE_CATEGORIES)),
  identifying: z.boolean(),
  purposes: z.array(z.string()),
  firstAt: Instant,
  lastAt: Instant,
  firstSeq: z.number(),
  lastSeq: z.number(),
  disclosures: z.number(),
});

const clockView = (c: BreachClock): z.input<typeof ClockView> => ({
  awareAt: iso(c.awareAt),
  deadline: iso(c.deadline),
  remainingMinutes: Math.trunc(c.remainingMs / 60_000),
  overdue: c.overdue,
});

export const incidentView = (i: IncidentRecord, clock: BreachClock): z.input<typeof IncidentSchema> => ({
  id: i.id,
  reference: i.reference,
  title: i.title,
  description: i.description,
  status: i.status,
  source: { kind: i.sourceKind, id: i.sourceId },
  credentials: i.credentials.map((c) => ({ ...c })),
  organisationId: i.organisationId,
  window: { from: iso(i.windowFrom), to: isoOrNull(i.windowTo) },
  lettersOnly: i.lettersOnly,
  openedAt: iso(i.openedAt),
  openedBy: i.openedBy,
  closedAt: isoOrNull(i.closedAt),
  clock: clockView(clock),
});

export const summaryView = (s: IncidentSummary) => incidentView(s.incident, s.clock);

export const scopeView = (s: ScopeRecord): z.input<typeof ScopeSchema> => ({
  number: s.number,
  computedAt: iso(s.computedAt),
  window: { from: iso(s.windowFrom), to: iso(s.windowTo) },
  head: { ...s.head, createdAt: iso(s.head.createdAt) },
  people: s.totals.people,
  identifyingPeople: s.totals.identifyingPeople,
  rows: s.totals.rows,
  byCategory: s.totals.byCategory,
  byOrganisationKind: s.totals.byOrganisationKind,
});

export const detailView = (v: IncidentView): z.input<typeof IncidentDetail> => ({
  incident: incidentView(v.incident, v.clock),
  scope: v.scope ? scopeView(v.scope) : null,
  events: v.events.map((e) => ({ at: iso(e.at), accountId: e.accountId, action: e.action, details: e.details })),
});
