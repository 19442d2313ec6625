/**
 * My second factors, and step-up: proving a fresh factor inside a session when detection demands
 * it (AUTH.STEP_UP_REQUIRED, 401) or before a sensitive change (removing a factor).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deleteFactor } from '../../access/mfa/enrolment.js';
import { listFactors, methodsOf } from '../../access/mfa/factors.js';
import { factorRequired } from '../../access/mfa/mfa-errors.js';
import type { FactorProof } from '../../access/mfa/proof.js';
import { proveFactor } from '../../access/mfa/proof.js';
import { raiseSession } from '../../access/mfa/step-up.js';
import { authenticationOptions } from '../../access/mfa/webauthn.js';
import { hashToken } from '../../access/sessions.js';
import { authOf } from '../auth.js';
import { iso, isoOrNull } from '../common-schemas.js';
import type { HttpDeps } from '../http-deps.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import { sourceOf } from '../request-source.js';
import { changeContextOf } from './mfa-enrol.js';
import { answerRaised, mfaDepsOf } from './mfa-flow.js';
import { FactorList, SessionView, StepUpProof, WebauthnOptions } from './mfa-schemas.js';

const FactorParams = z.object({ id: z.uuid() });
const SteppedUp = z.object({ session: SessionView });

async function stepUp(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  proof: FactorProof,
): Promise<z.input<typeof SteppedUp>> {
  const { session, token } = authOf(request);
  const mfa = mfaDepsOf(deps);
  if ((await methodsOf(deps.access.db, session.accountId)).length === 0) throw factorRequired();
  await proveFactor(
    mfa,
    { accountId: session.accountId, owner: hashToken(token), purpose: 'step_up', source: sourceOf(request) },
    proof,
  );
  const current = { token, accountId: session.accountId, assurance: session.assurance };
  return answerRaised(deps, request, reply, await raiseSession(mfa, current, sourceOf(request), true));
}

export const mfaFactorRoutes: RouteModule = (app, deps) => {
  const tags = ['second facteur'];

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/auth/factors',
      summary: 'Mes seconds facteurs',
      tags,
      auth: 'enrolment',
      response: FactorList,
    },
    async ({ request }) => {
      const { factors, recoveryCodesLeft } = await listFactors(deps.access.db, authOf(request).session.accountId);
      return {
        factors: factors.map((f) => ({ ...f, createdAt: iso(f.createdAt), lastUsedAt: isoOrNull(f.lastUsedAt) })),
        recoveryCodesLeft,
      };
    },
  );

  route(
    app,
    deps,
    {
      method: 'DELETE',
      url: '/api/auth/factors/:id',
      summary: 'Supprimer un de mes seconds facteurs',
      description:
        'Demande une preuve récente d’un second facteur dans cette session (POST /api/auth/step-up) ; le dernier facteur d’un agent ne peut pas être supprimé.',
      tags,
      auth: 'signed_in',
      params: FactorParams,
    },
    async ({ params, request }) => {
      await deleteFactor(mfaDepsOf(deps), changeContextOf(request), params.id);
    },
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/auth/step-up/options',
      summary: 'Confirmer mon identité : défi pour la clé d’accès',
      tags,
      auth: 'signed_in',
      response: WebauthnOptions,
    },
    async ({ request }) => {
      const { session, token } = authOf(request);
      return {
        options: { ...(await authenticationOptions(mfaDepsOf(deps), session.accountId, hashToken(token), 'step_up')) },
      };
    },
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/auth/step-up',
      summary: 'Confirmer mon identité par un second facteur récent',
      description:
        'Clé d’accès, code TOTP ou code de secours ; répond à AUTH.STEP_UP_REQUIRED et permet un changement de seconds facteurs dans les 5 minutes.',
      tags,
      auth: 'signed_in',
      body: StepUpProof,
      response: SteppedUp,
    },
    async ({ body, request, reply }) =>
      stepUp(
        deps,
        request,
        reply,
        body.method === 'webauthn'
          ? { method: 'webauthn', response: body.credential }
          : { method: body.method, code: body.code },
      ),
  );
};
