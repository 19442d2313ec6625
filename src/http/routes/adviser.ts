/**
 * France Travail adviser (conseiller): my portfolio, one person with a stated purpose, an exact
 * lookup by France Travail identifier, and prescriptions of training.
 */
import { z } from 'zod';
import { getPerson, listPortfolio, lookupByIdentifier } from '../../services/adviser-people.js';
import { prescribeTraining } from '../../services/adviser-prescriptions.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import {
  DisclosedPersonSchema,
  EnrolmentSchema,
  PageQuery,
  pageSchema,
  pageView,
  personView,
  Uuid,
} from './persona-schemas.js';

const tags = ['conseiller'];
const auth = ['adviser'] as const;

const Reason = z
  .string()
  .max(500)
  .meta({ description: 'Motif de la consultation, au moins 10 caractères ; il est journalisé.' });
const PersonQuery = z.object({
  purpose: z.enum(['portfolio_followup', 'agency_lookup']).default('portfolio_followup'),
  reason: Reason.optional(),
});
const LookupQuery = z.object({
  identifier: z.string().min(1).max(20).meta({ description: 'Identifiant France Travail : 7 chiffres et une lettre.' }),
  reason: Reason,
});
const Prescription = z.object({ personId: Uuid, sessionId: Uuid });
const Prescribed = z.object({ enrolment: EnrolmentSchema, person: DisclosedPersonSchema });

export const adviserRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/adviser/portfolio',
      summary: 'Mon portefeuille',
      tags,
      auth,
      query: PageQuery,
      response: pageSchema(DisclosedPersonSchema),
      listing: 'portfolio',
    },
    async ({ query }, reader) => pageView(await listPortfolio(deps.ctx, reader, query), personView),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/adviser/people/:personId',
      summary: 'Le dossier d’une personne',
      description:
        'Une personne de mon portefeuille (portfolio_followup), ou de mon agence avec un motif (agency_lookup).',
      tags,
      auth,
      params: z.object({ personId: Uuid }),
      query: PersonQuery,
      response: DisclosedPersonSchema,
    },
    async ({ params, query }, reader) =>
      personView(await getPerson(deps.ctx, reader, params.personId, query.purpose, query.reason)),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/adviser/lookup',
      summary: 'Retrouver une personne de mon agence par son identifiant',
      tags,
      auth,
      query: LookupQuery,
      response: DisclosedPersonSchema,
    },
    async ({ query }, reader) => personView(await lookupByIdentifier(deps.ctx, reader, query.identifier, query.reason)),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/adviser/prescriptions',
      summary: 'Prescrire une formation',
      tags,
      auth,
      body: Prescription,
      response: Prescribed,
      status: 201,
    },
    async ({ body }, reader) => {
      const { enrolment, person } = await prescribeTraining(deps.ctx, reader, body);
      return { enrolment, person: personView(person) };
    },
  );
};
