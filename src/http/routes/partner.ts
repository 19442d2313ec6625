/** Co-managing partner (Cap emploi, Mission locale): the files it co-manages, and one of them. */
import { z } from 'zod';
import { getCoManagedFile, listCoManagedFiles } from '../../services/partner-files.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { DisclosedPersonSchema, PageQuery, pageSchema, pageView, personView, Uuid } from './persona-schemas.js';

const tags = ['partenaire'];
const auth = ['partner_adviser'] as const;

export const partnerRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/partner/files',
      summary: 'Les dossiers que nous cotraitons',
      tags,
      auth,
      query: PageQuery,
      response: pageSchema(DisclosedPersonSchema),
      listing: 'co_managed',
    },
    async ({ query }, reader) => pageView(await listCoManagedFiles(deps.ctx, reader, query), personView),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/partner/files/:personId',
      summary: 'Un dossier cotraité',
      tags,
      auth,
      params: z.object({ personId: Uuid }),
      response: DisclosedPersonSchema,
    },
    async ({ params }, reader) => personView(await getCoManagedFile(deps.ctx, reader, params.personId)),
  );
};
