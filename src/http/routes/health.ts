import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';

const Health = z.object({ status: z.literal('ok') });

export const healthRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/health',
      summary: 'État du service',
      tags: ['service'],
      auth: 'public',
      response: Health,
    },
    async () => {
      try {
        await sql`select 1`.execute(deps.ctx.store.db);
      } catch {
        throw new AppError('HEALTH.DATABASE_UNAVAILABLE', 'unavailable', 'La base de données est indisponible.');
      }
      return { status: 'ok' as const };
    },
  );
};
