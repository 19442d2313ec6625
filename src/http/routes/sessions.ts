import { z } from 'zod';
import { listSessions, revokeSession } from '../../access/sessions.js';
import { authOf } from '../auth.js';
import { Instant, iso } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.js';

const SessionSummary = z.object({
  ref: z.string(),
  current: z.boolean(),
  createdAt: Instant,
  lastSeenAt: Instant,
  expiresAt: Instant,
  sourceIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  assurance: z.enum(['password', 'mfa']),
});
const SessionList = z.object({ sessions: z.array(SessionSummary) });
const SessionRefParams = z.object({ ref: z.string().regex(/^[0-9a-f]{12}$/) });

export const sessionRoutes: RouteModule = (app, deps) => {
  const tags = ['authentification'];

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/auth/sessions',
      summary: 'Mes sessions ouvertes',
      tags,
      auth: 'signed_in',
      response: SessionList,
    },
    async ({ request }) => {
      const { session } = authOf(request);
      const sessions = await listSessions(deps.access, session.accountId);
      return {
        sessions: sessions.map((s) => ({
          ...s,
          current: s.ref === session.sessionRef,
          createdAt: iso(s.createdAt),
          lastSeenAt: iso(s.lastSeenAt),
          expiresAt: iso(s.expiresAt),
        })),
      };
    },
  );

  route(
    app,
    deps,
    {
      method: 'DELETE',
      url: '/api/auth/sessions/:ref',
      summary: 'Fermer une de mes sessions',
      tags,
      auth: 'signed_in',
      params: SessionRefParams,
    },
    async ({ params, request, reply }) => {
      const { session } = authOf(request);
      await revokeSession(deps.access, session.accountId, params.ref, sourceOf(request));
      if (params.ref === session.sessionRef) void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.config));
    },
  );
};
