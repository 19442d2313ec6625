/** The catalogue of training sessions (offre de formation): no personal data, open to every account. */
import { z } from 'zod';
import { searchCatalogue } from '../../services/training-catalogue.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { DepartementCode, PageQuery, pageSchema, RomeCode, TrainingSessionSchema } from './persona-schemas.js';

const CatalogueQuery = PageQuery.extend({ rome: RomeCode.optional(), departement: DepartementCode.optional() });
const CatalogueEntry = TrainingSessionSchema.extend({ organisationName: z.string(), seatsLeft: z.number().int() });

export const trainingSessionRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/training-sessions',
      summary: 'Catalogue des sessions de formation',
      description: 'Sessions non terminées, par code ROME et département du lieu de formation.',
      tags: ['formations'],
      auth: 'signed_in',
      query: CatalogueQuery,
      response: pageSchema(CatalogueEntry),
    },
    async ({ query }, reader) => searchCatalogue(deps.ctx, reader, query),
  );
};
