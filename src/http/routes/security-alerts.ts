/**
 * Detection for security officers: alerts (what was decided, why, with the signals, values and
 * thresholds), containments, and their review: lifting or confirming a suspension with a reason,
 * audited in the security log. Alerts hold ids, counts and reason codes, never a job seeker's data.
 */
import { z } from 'zod';
import type { StoredAlert } from '../../detect/alerts.js';
import { getAlert, listAlerts, SEVERITIES } from '../../detect/alerts.js';
import type { ContainmentView } from '../../detect/containment.js';
import { getContainment, listContainments, MIN_REVIEW_REASON, reviewContainment } from '../../detect/containment.js';
import { notFound } from '../../domain/errors.js';
import { Instant, Uuid, iso, isoOrNull } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';

const AlertView = z.object({
  id: z.string(),
  at: Instant,
  severity: z.enum(SEVERITIES),
  rule: z
    .string()
    .meta({ description: 'Le signal ou la fenêtre de budget qui a décidé (canary, risk, day, pressure…).' }),
  action: z.string().meta({
    description: 'slow_down, mask, suspend_credential, suspend_channel, containment_lifted, containment_confirmed.',
  }),
  accountId: z.string().nullable(),
  organisationId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  sessionRef: z.string().nullable(),
  containmentId: z.string().nullable(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).meta({
    description:
      'Explication : signaux (score, valeur, seuil), budget par fenêtre (compte, limite), seuils de la gradation.',
  }),
  deliveredAt: Instant.nullable().meta({ description: 'Remise au webhook, si configuré.' }),
});

const ContainmentSchema = z.object({
  id: z.string(),
  at: Instant,
  kind: z.enum(['credential', 'channel']),
  accountId: z.string().nullable(),
  organisationId: z.string().nullable(),
  rule: z.string(),
  status: z.enum(['active', 'lifted', 'confirmed']),
  alertId: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: Instant.nullable(),
  reviewReason: z.string().nullable(),
});

const AlertsQuery = z.object({
  severity: z.enum(SEVERITIES).optional(),
  account: Uuid.optional(),
  organisation: Uuid.optional(),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Alertes antérieures à cet instant (page suivante).' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const ContainmentsQuery = z.object({
  status: z.enum(['active', 'lifted', 'confirmed']).optional(),
  organisation: Uuid.optional(),
});
const IdParams = z.object({ id: Uuid });
const ReviewBody = z.object({
  reason: z.string().trim().min(MIN_REVIEW_REASON).max(1000).meta({
    description:
      'Pourquoi la mesure est levée ou confirmée (vérification faite, ticket). Jamais de donnée d’un demandeur d’emploi.',
  }),
});

const alertView = (a: StoredAlert): z.input<typeof AlertView> => ({
  ...a,
  at: iso(a.at),
  deliveredAt: isoOrNull(a.deliveredAt),
});
const containmentView = (c: ContainmentView): z.input<typeof ContainmentSchema> => ({
  ...c,
  at: iso(c.at),
  reviewedAt: isoOrNull(c.reviewedAt),
});

export const securityAlertRoutes: RouteModule = (app, deps) => {
  const tags = ['sécurité'];
  const auth = ['security_officer'] as const;
  const db = () => deps.ctx.store.db;

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/security/alerts',
      summary: 'Alertes de détection',
      tags,
      auth,
      query: AlertsQuery,
      response: z.object({ alerts: z.array(AlertView) }),
    },
    async ({ query }) => {
      const filter = {
        limit: query.limit,
        accountId: query.account,
        organisationId: query.organisation,
        severity: query.severity,
        before: query.before === undefined ? undefined : Date.parse(query.before),
      };
      return { alerts: (await listAlerts(db(), filter)).map(alertView) };
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/security/alerts/:id',
      summary: 'Une alerte et sa mesure de confinement',
      tags,
      auth,
      params: IdParams,
      response: z.object({ alert: AlertView, containment: ContainmentSchema.nullable() }),
    },
    async ({ params }) => {
      const alert = await getAlert(db(), params.id);
      if (!alert) throw notFound('ALERT.NOT_FOUND', 'Alerte introuvable.');
      const containment = alert.containmentId === null ? undefined : await getContainment(db(), alert.containmentId);
      return { alert: alertView(alert), containment: containment ? containmentView(containment) : null };
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/security/containments',
      summary: 'Mesures de confinement',
      tags,
      auth,
      query: ContainmentsQuery,
      response: z.object({ containments: z.array(ContainmentSchema) }),
    },
    async ({ query }) => ({
      containments: (await listContainments(db(), { status: query.status, organisationId: query.organisation })).map(
        containmentView,
      ),
    }),
  );

  for (const decision of ['lift', 'confirm'] as const) {
    const summary =
      decision === 'lift' ? 'Lever une suspension (faux positif)' : 'Confirmer une suspension (compromission avérée)';
    route(
      app,
      deps,
      {
        method: 'POST',
        url: `/api/security/containments/:id/${decision}`,
        summary,
        tags,
        auth,
        params: IdParams,
        body: ReviewBody,
        response: z.object({ containment: ContainmentSchema }),
      },
      async ({ params, body, request }, reader) => {
        const reviewed = await reviewContainment(db(), {
          containmentId: params.id,
          decision,
          officerId: reader.accountId,
          reason: body.reason,
          sourceIp: request.ip,
          at: deps.ctx.clock.now(),
        });
        return { containment: containmentView(reviewed.containment) };
      },
    );
  }
};
