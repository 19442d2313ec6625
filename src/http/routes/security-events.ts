/**
 * The security log for security officers: sign-ins, failures, lockouts, throttling, second factors,
 * session anomalies, account changes. Filters: account, kind, period; 100 events a page, newest first.
 * The same events go to the SIEM as JSON lines (access/security-events-siem.ts).
 */
import { z } from 'zod';
import { querySecurityEvents } from '../../access/security-events-query.js';
import { SECURITY_EVENT_KINDS } from '../../access/security-events.js';
import { Instant, Uuid, iso } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';

const EventsQuery = z.object({
  account: Uuid.optional().meta({ description: 'Le compte concerné (ou qui a agi, pour une connexion).' }),
  kind: z.enum(SECURITY_EVENT_KINDS).optional(),
  since: z.iso.datetime({ offset: true }).optional().meta({ description: 'Depuis cet instant (inclus).' }),
  until: z.iso.datetime({ offset: true }).optional().meta({ description: 'Jusqu’à cet instant (exclu).' }),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

const EventView = z.object({
  seq: z.number(),
  at: Instant,
  kind: z.string(),
  accountId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
const EventPage = z.object({
  events: z.array(EventView),
  page: z.number(),
  pageSize: z.number(),
  hasMore: z.boolean(),
});

const epoch = (text: string | undefined): number | undefined => (text === undefined ? undefined : Date.parse(text));

export const securityEventRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/security/events',
      summary: 'Journal de sécurité',
      description:
        'Jamais de donnée personnelle d’un demandeur d’emploi : identifiants de comptes, adresses IP, codes de motif.',
      tags: ['sécurité'],
      auth: ['security_officer'],
      query: EventsQuery,
      response: EventPage,
    },
    async ({ query }) => {
      const page = await querySecurityEvents(deps.ctx.store.db, {
        accountId: query.account,
        kind: query.kind,
        since: epoch(query.since),
        until: epoch(query.until),
        page: query.page,
      });
      return { ...page, events: page.events.map((e) => ({ ...e, at: iso(e.at) })) };
    },
  );
};
