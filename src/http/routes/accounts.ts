/**
 * Staff accounts of an organisation: list and create (account managers, in their own organisation),
 * and the lifecycle: approval of a probation by a second person, role changes, disabling, two-person
 * resets. Managers act in their organisation; France Travail agents (agency or national managers and
 * security officers) in the organisations they oversee (see access/lifecycle.ts).
 */
import { z } from 'zod';
import { createStaffAccount, listOrganisationAccounts } from '../../access/accounts.js';
import { approveAccount, changeRole, disableAccount } from '../../access/lifecycle.js';
import { listAwaitingApproval } from '../../access/lifecycle-probation.js';
import { approveResetRequest, openResetRequest } from '../../access/lifecycle-reset-requests.js';
import type { ResetRequest } from '../../access/lifecycle-reset-requests.js';
import { createMailer } from '../../access/mfa/mailer.js';
import { AppError } from '../../domain/errors.js';
import type { Reader } from '../../disclosure/reader.js';
import { AccountView, Instant, RoleSchema, Uuid, accountView, iso, isoOrNull } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { resetDepsOf, watchDelivery } from './password-reset.js';

const AccountList = z.object({ accounts: z.array(AccountView) });
const NewAccount = z.object({
  role: RoleSchema,
  email: z.email().max(254),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1024).meta({ description: 'Au moins 12 caractères.' }),
});
const OneAccount = z.object({ account: AccountView });
const IdParams = z.object({ id: Uuid });
const RoleChange = z.object({ role: RoleSchema });
const ResetReason = z.object({
  reason: z.string().trim().min(1).max(500).meta({
    description: 'Pourquoi (ticket, vérification faite en personne…). Jamais de donnée d’un demandeur d’emploi.',
  }),
});
const ResetRequestView = z.object({
  id: z.string(),
  accountId: z.string(),
  requestedBy: z.string(),
  createdAt: Instant,
  expiresAt: Instant,
  managerApprovedBy: z.string().nullable(),
  agentApprovedBy: z.string().nullable(),
  linkSentAt: Instant.nullable(),
});
const OneResetRequest = z.object({ request: ResetRequestView });
const AwaitingList = z.object({
  accounts: z.array(
    z.object({
      account: AccountView,
      reason: z.enum(['created', 'reset', 'role_changed', 'federation_linked']),
      since: Instant,
      startedBy: z.string().nullable(),
    }),
  ),
});

const organisationOf = (reader: Reader): string => {
  if (reader.organisationId === null) throw new AppError('INTERNAL.NO_ORGANISATION', 'internal', 'Erreur interne.');
  return reader.organisationId;
};

const requestView = (r: ResetRequest): z.input<typeof ResetRequestView> => ({
  ...r,
  createdAt: iso(r.createdAt),
  expiresAt: iso(r.expiresAt),
  linkSentAt: isoOrNull(r.linkSentAt),
});

const LIFECYCLE_ROLES = ['account_manager', 'security_officer'] as const;

export const accountRoutes: RouteModule = (app, deps) => {
  const tags = ['comptes'];
  const mailer = createMailer(deps.config.identity.mail);
  app.addHook('onClose', async () => mailer.close());

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/accounts',
      summary: 'Comptes de mon organisation',
      tags,
      auth: ['account_manager'],
      response: AccountList,
    },
    async (_req, reader) => {
      const accounts = await listOrganisationAccounts(deps.ctx.store.db, organisationOf(reader));
      return { accounts: accounts.map(accountView) };
    },
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/accounts',
      summary: 'Créer un compte dans mon organisation',
      description: 'Le nouveau compte commence en période probatoire, jusqu’à l’approbation d’une seconde personne.',
      tags,
      auth: ['account_manager'],
      body: NewAccount,
      response: OneAccount,
      status: 201,
    },
    async ({ body, request }, reader) => {
      const account = await createStaffAccount(
        deps.access,
        reader,
        { organisationId: organisationOf(reader), ...body },
        sourceOf(request),
      );
      return { account: accountView(account) };
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/accounts/awaiting-approval',
      summary: 'Comptes en période probatoire que je peux approuver',
      tags,
      auth: LIFECYCLE_ROLES,
      response: AwaitingList,
    },
    async (_req, reader) => ({
      accounts: (await listAwaitingApproval(deps.access, reader)).map((a) => ({
        account: accountView(a.account),
        reason: a.reason,
        since: iso(a.since),
        startedBy: a.startedBy,
      })),
    }),
  );

  const approve =
    'Par un autre gestionnaire de comptes de l’organisation, ou un agent France Travail qui la supervise ; jamais par la personne qui a créé, réinitialisé ou modifié le compte.';
  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/accounts/:id/approve',
      summary: 'Approuver un compte en période probatoire',
      description: approve,
      tags,
      auth: LIFECYCLE_ROLES,
      params: IdParams,
      response: OneAccount,
    },
    async ({ params, request }, reader) => ({
      account: accountView(await approveAccount(deps.access, reader, params.id, sourceOf(request))),
    }),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/accounts/:id/role',
      summary: 'Changer le rôle d’un compte',
      description: 'Le compte repasse en période probatoire.',
      tags,
      auth: LIFECYCLE_ROLES,
      params: IdParams,
      body: RoleChange,
      response: OneAccount,
    },
    async ({ params, body, request }, reader) => ({
      account: accountView(await changeRole(deps.access, reader, params.id, body.role, sourceOf(request))),
    }),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/accounts/:id/disable',
      summary: 'Désactiver un compte',
      description: 'Ses sessions prennent fin.',
      tags,
      auth: LIFECYCLE_ROLES,
      params: IdParams,
      response: OneAccount,
    },
    async ({ params, request }, reader) => ({
      account: accountView(await disableAccount(deps.access, reader, params.id, sourceOf(request))),
    }),
  );

  const twoPerson =
    'Pour une personne qui a perdu son second facteur : il faut l’accord d’un gestionnaire de comptes de l’organisation et d’un agent France Travail, deux personnes distinctes. Le lien part ensuite à l’adresse professionnelle du compte, jamais à un tiers.';
  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/accounts/:id/reset-requests',
      summary: 'Demander une réinitialisation à deux personnes',
      description: twoPerson,
      tags,
      auth: LIFECYCLE_ROLES,
      params: IdParams,
      body: ResetReason,
      response: OneResetRequest,
      status: 201,
    },
    async ({ params, body, request }, reader) => ({
      request: requestView(
        await openResetRequest(resetDepsOf(deps, mailer), reader, params.id, body.reason, sourceOf(request)),
      ),
    }),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/reset-requests/:id/approve',
      summary: 'Donner la seconde approbation d’une réinitialisation',
      description: twoPerson,
      tags,
      auth: LIFECYCLE_ROLES,
      params: IdParams,
      response: OneResetRequest,
    },
    async ({ params, request }, reader) => {
      const { request: approved, sent } = await approveResetRequest(
        resetDepsOf(deps, mailer),
        reader,
        params.id,
        sourceOf(request),
      );
      if (sent) watchDelivery(request, sent);
      return { request: requestView(approved) };
    },
  );
};
