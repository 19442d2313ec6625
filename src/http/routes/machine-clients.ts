/**
 * Machine clients: account managers create them in their organisation (the secret is shown once,
 * the service account waits on probation for a second person's approval), and clients exchange their
 * credentials for a short-lived bearer token (OAuth 2.0 client credentials, JSON body: Vigie's API
 * accepts JSON only, which also keeps the CSRF rule simple).
 */
import { z } from 'zod';
import { createMachineClient, listMachineClients } from '../../access/machine-clients.js';
import type { MachineClient } from '../../access/machine-clients.js';
import { MACHINE_SCOPES, MACHINE_SCOPE_NAMES } from '../../access/machine-scopes.js';
import { issueMachineToken } from '../../access/machine-tokens.js';
import { AppError } from '../../domain/errors.js';
import { Instant, RoleSchema, iso } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { signInThrottleOf } from '../throttle.js';

const ScopeSchema = z.enum(MACHINE_SCOPE_NAMES);
const NewClient = z.object({
  label: z.string().trim().min(1).max(100),
  scopes: z.array(ScopeSchema).min(1).max(MACHINE_SCOPE_NAMES.length),
  ratePerMinute: z.number().int().min(1).max(6_000).optional(),
  burst: z.number().int().min(1).max(1_000).optional(),
});
const ClientView = z.object({
  id: z.string(),
  accountId: z.string(),
  label: z.string(),
  role: RoleSchema,
  scopes: z.array(z.string()),
  ratePerMinute: z.number(),
  burst: z.number(),
  createdAt: Instant,
});
const Created = z.object({
  client: ClientView,
  clientSecret: z
    .string()
    .meta({ description: 'Affiché une seule fois : conservez-le dans le coffre de l’application cliente.' }),
});
const ClientList = z.object({ clients: z.array(ClientView) });
const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(64),
  client_secret: z.string().min(1).max(256),
  scope: z.string().max(500).optional(),
});
const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
  scope: z.string(),
});

const view = (c: MachineClient): z.input<typeof ClientView> => ({
  ...c,
  scopes: [...c.scopes],
  createdAt: iso(c.createdAt),
});
const SCOPES_DESCRIPTION = Object.entries(MACHINE_SCOPES)
  .map(([name, s]) => `\`${name}\` (${s.role}) : ${s.description}`)
  .join(' ; ');

export const machineClientRoutes: RouteModule = (app, deps) => {
  const tags = ['clients machines'];

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/machine-clients',
      summary: 'Créer un client machine',
      description: `Droits : ${SCOPES_DESCRIPTION}. Son compte de service reste en période probatoire jusqu’à l’approbation d’une seconde personne.`,
      tags,
      auth: ['account_manager'],
      body: NewClient,
      response: Created,
      status: 201,
    },
    async ({ body, request }, reader) => {
      const { client, secret } = await createMachineClient(deps.access, reader, body, sourceOf(request));
      return { client: view(client), clientSecret: secret };
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/machine-clients',
      summary: 'Les clients machines de mon organisation',
      tags,
      auth: ['account_manager'],
      response: ClientList,
    },
    async (_req, reader) => {
      if (reader.organisationId === null) throw new AppError('INTERNAL.NO_ORGANISATION', 'internal', 'Erreur interne.');
      return { clients: (await listMachineClients(deps.access, reader.organisationId)).map(view) };
    },
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/oauth/token',
      summary: 'Obtenir un jeton d’accès (client credentials)',
      description: 'Jeton valable 10 minutes, à présenter en `Authorization: Bearer`.',
      tags,
      auth: 'public',
      body: TokenRequest,
      response: TokenResponse,
    },
    async ({ body, request }) => {
      const credentials = { clientId: body.client_id, clientSecret: body.client_secret, scope: body.scope };
      const issued = await issueMachineToken(deps.access, signInThrottleOf(deps), credentials, sourceOf(request));
      return {
        access_token: issued.token,
        token_type: 'Bearer' as const,
        expires_in: issued.expiresInSeconds,
        scope: issued.scopes.join(' '),
      };
    },
  );
};
