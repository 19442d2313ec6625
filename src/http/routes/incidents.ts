/**
 * Incidents for security officers: open (by hand, from an alert or a containment), scope from the
 * disclosure log, read the people in scope (through the gate, recorded), close. Each action is a
 * security event written with its change.
 */
import { z } from 'zod';
import type { Reader } from '../../disclosure/reader.js';
import { closeIncident, listIncidents, openIncident, showIncident } from '../../respond/incidents.js';
import { readScopePage } from '../../respond/people.js';
import type { Actor, RespondDeps } from '../../respond/respond-deps.js';
import { scopeIncident } from '../../respond/scope.js';
import { breachReader } from '../../services/breach-reader.js';
import type { AppContext } from '../../services/context.js';
import { incidentOpening } from '../../services/incident-sources.js';
import { advanceDisclosureLogHead } from '../../services/log-heads.js';
import { iso } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import {
  CloseBody,
  detailView,
  IncidentDetail,
  IncidentParams,
  IncidentSchema,
  IncidentsQuery,
  OpenIncidentBody,
  PeopleQuery,
  ScopedPersonSchema,
  ScopeSchema,
  scopeView,
  summaryView,
} from './incident-schemas.js';

/** The response use cases' deps over the served context (heads sealed as the log job seals them). */
export const respondDepsOf = (ctx: AppContext): RespondDeps => ({
  store: ctx.store,
  clock: ctx.clock,
  sealHead: () => advanceDisclosureLogHead(ctx),
});

const actorOf = (reader: Reader, ip: string): Actor => ({ accountId: reader.accountId, sourceIp: ip });
const epoch = (text: string | undefined | null): number | undefined =>
  text === undefined || text === null ? undefined : Date.parse(text);

export const incidentRoutes: RouteModule = (app, deps) => {
  const tags = ['incidents'];
  const auth = ['security_officer'] as const;
  const rdeps = respondDepsOf(deps.ctx);

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/incidents',
      summary: 'Ouvrir un incident',
      tags,
      auth,
      body: OpenIncidentBody,
      status: 201,
      response: IncidentDetail,
    },
    async ({ body, request }, reader) => {
      const incident = await openIncident(
        rdeps,
        actorOf(reader, request.ip),
        await incidentOpening(deps.ctx.store.db, {
          ...body,
          from: epoch(body.from),
          to: epoch(body.to) ?? null,
          awareAt: epoch(body.awareAt),
        }),
      );
      return detailView(await showIncident(rdeps, incident.id));
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/incidents',
      summary: 'Incidents',
      tags,
      auth,
      query: IncidentsQuery,
      response: z.object({ incidents: z.array(IncidentSchema) }),
    },
    async ({ query }) => ({ incidents: (await listIncidents(rdeps, query)).map(summaryView) }),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/incidents/:id',
      summary: 'Un incident : délai de 72 heures, périmètre, historique',
      tags,
      auth,
      params: IncidentParams,
      response: IncidentDetail,
    },
    async ({ params }) => detailView(await showIncident(rdeps, params.id)),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/incidents/:id/scope',
      summary: 'Établir le périmètre depuis le journal des divulgations',
      description: 'Scelle une tête d’arbre du journal et compte exactement les lignes qu’elle couvre.',
      tags,
      auth,
      params: IncidentParams,
      response: z.object({ scope: ScopeSchema }),
    },
    async ({ params, request }, reader) => ({
      scope: scopeView(await scopeIncident(rdeps, actorOf(reader, request.ip), params.id)),
    }),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/incidents/:id/people',
      summary: 'Personnes du périmètre (lecture enregistrée au journal des divulgations)',
      tags,
      auth,
      params: IncidentParams,
      query: PeopleQuery,
      response: z.object({ people: z.array(ScopedPersonSchema), next: z.string().nullable() }),
    },
    async ({ params, query, request }, reader) => {
      const page = await readScopePage(rdeps, actorOf(reader, request.ip), breachReader(deps.ctx, reader), {
        incidentId: params.id,
        after: query.after ?? null,
        limit: query.limit,
      });
      return {
        next: page.next,
        people: page.people.map((p) => ({
          ...p,
          fields: [...p.fields],
          categories: [...p.categories],
          purposes: [...p.purposes],
          firstAt: iso(p.firstAt),
          lastAt: iso(p.lastAt),
        })),
      };
    },
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/incidents/:id/close',
      summary: 'Clore un incident',
      tags,
      auth,
      params: IncidentParams,
      body: CloseBody,
      response: IncidentDetail,
    },
    async ({ params, body, request }, reader) => {
      await closeIncident(rdeps, actorOf(reader, request.ip), params.id, body.reason);
      return detailView(await showIncident(rdeps, params.id));
    },
  );
};
