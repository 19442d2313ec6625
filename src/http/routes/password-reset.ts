/**
 * Self-service password reset: ask for a link (the same answer whatever the login), then complete it
 * with a new password and one of the account's existing second factors (a job seeker without one:
 * the link, sent to the address of their file, is enough). Two-person resets are opened
 * and approved through the account routes (accounts.ts); their link is completed here too, without a
 * factor. See access/lifecycle-reset.ts.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Delivery, JobSeekerAddress, ResetDeps } from '../../access/lifecycle-reset.js';
import { ownContact } from './mfa-flow.js';
import { completeReset, requestResetLink } from '../../access/lifecycle-reset.js';
import { createMailer } from '../../access/mfa/mailer.js';
import type { Mailer } from '../../access/mfa/mailer.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { signInThrottleOf } from '../throttle.js';

export const resetDepsOf = (deps: HttpDeps, mailer: Mailer): ResetDeps => ({
  ...deps.access,
  mfa: deps.config.mfa,
  mailer,
  publicUrl: deps.config.identity.publicUrl,
});

/** Logs a failed delivery (without its recipient); the requester is never told. */
export function watchDelivery(request: FastifyRequest, sent: Delivery): void {
  sent.delivery.catch((e: unknown) =>
    request.log.warn({ code: e instanceof Error ? e.name : 'unknown' }, 'reset link not delivered'),
  );
}

const ResetAsked = z.object({ login: z.string().min(1).max(320) });
const Accepted = z.object({ message: z.string() });
const Factor = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: z.string().min(6).max(12) }),
  z.object({ method: z.literal('recovery'), code: z.string().min(6).max(32) }),
]);
const ResetDone = z.object({
  token: z.string().min(1).max(100).meta({ description: 'Le jeton du lien reçu par courriel.' }),
  password: z.string().min(1).max(1024),
  factor: Factor.nullable().default(null).meta({
    description:
      'Un second facteur existant : exigé pour un lien demandé soi-même, sauf pour un demandeur d’emploi qui n’en a pas.',
  }),
});

const ACCEPTED =
  'Si ce compte existe et peut être réinitialisé, un lien valable 30 minutes a été envoyé à son adresse électronique (professionnelle pour un agent, celle de votre dossier pour un demandeur d’emploi).';

export const passwordResetRoutes: RouteModule = (app, deps) => {
  const tags = ['authentification'];
  const mailer = createMailer(deps.config.identity.mail);
  app.addHook('onClose', async () => mailer.close());

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/auth/password-reset',
      summary: 'Demander un lien de réinitialisation',
      description: ACCEPTED,
      tags,
      auth: 'public',
      body: ResetAsked,
      response: Accepted,
      status: 202,
    },
    async ({ body, request }) => {
      const source = sourceOf(request);
      signInThrottleOf(deps).admit(source, deps.access.clock.now());
      const jobSeekerAddress: JobSeekerAddress = async (who) =>
        (await ownContact(deps, request, { accountId: who.id, personId: who.personId }, ['email'])).email;
      watchDelivery(request, await requestResetLink(resetDepsOf(deps, mailer), body.login, source, jobSeekerAddress));
      return { message: ACCEPTED };
    },
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      summary: 'Choisir un nouveau mot de passe',
      description: 'Le compte repasse en période probatoire ; ses sessions prennent fin.',
      tags,
      auth: 'public',
      body: ResetDone,
    },
    async ({ body, request }) => {
      const source = sourceOf(request);
      signInThrottleOf(deps).admit(source, deps.access.clock.now());
      await completeReset(resetDepsOf(deps, mailer), body, source);
    },
  );
};
