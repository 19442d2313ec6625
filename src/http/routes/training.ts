/**
 * Training organisation (organisme de formation): its sessions, the trainees of a session, one
 * trainee's file, and the follow-up declarations (entry, monthly attendance, interruption, exit).
 */
import { z } from 'zod';
import { EXIT_REASON_NAMES } from '../../domain/training-events.js';
import { declareFollowUp } from '../../services/trainer-followup.js';
import type { FollowUpDeclaration, FollowUpResult } from '../../services/trainer-followup.js';
import { getTrainee, listMySessions, listSessionTrainees } from '../../services/trainer-sessions.js';
import type { HttpDeps } from '../http-deps.js';
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import {
  DisclosedPersonSchema,
  EnrolmentSchema,
  eventView,
  FollowUpEventSchema,
  IsoDate,
  IsoMonth,
  personView,
  TrainingSessionSchema,
  Uuid,
} from './persona-schemas.js';

const tags = ['organisme de formation'];
const auth = ['trainer'] as const;

const Counts = z.object({
  prescribed: z.number().int(),
  in_training: z.number().int(),
  interrupted: z.number().int(),
  completed: z.number().int(),
  cancelled: z.number().int(),
});
const SessionList = z.object({ sessions: z.array(TrainingSessionSchema.extend({ counts: Counts })) });
const TraineeList = z.object({
  trainees: z.array(z.object({ enrolment: EnrolmentSchema, person: DisclosedPersonSchema })),
});
const TraineeFile = z.object({ person: DisclosedPersonSchema, enrolments: z.array(EnrolmentSchema) });
const IdParams = z.object({ id: Uuid });
const PersonParams = z.object({ personId: Uuid });
const PurposeQuery = z.object({
  purpose: z
    .enum(['training_followup', 'training_contact'])
    .default('training_followup')
    .meta({ description: 'training_contact pour obtenir l’e-mail et le téléphone.' }),
});

const Hours = z.number().min(0).max(744);
const Reason = z.enum(EXIT_REASON_NAMES);
const BODIES = {
  entry: z.object({ date: IsoDate }),
  attendance: z.object({
    month: IsoMonth,
    hoursAttended: Hours,
    hoursAbsentJustified: Hours,
    hoursAbsentUnjustified: Hours,
  }),
  interruption: z.object({ date: IsoDate, reason: Reason }),
  exit: z.object({ date: IsoDate, reason: Reason }),
} as const;
const SUMMARIES: Record<keyof typeof BODIES, string> = {
  entry: 'Déclarer l’entrée en formation',
  attendance: 'Déclarer la présence d’un mois',
  interruption: 'Déclarer une interruption (sortie anticipée)',
  exit: 'Déclarer la sortie de formation',
};
const FollowUpResponse = z.object({ enrolment: EnrolmentSchema, event: FollowUpEventSchema });
const followUpOut = (r: FollowUpResult) => ({ enrolment: r.enrolment, event: eventView(r.event) });

function followUpRoute(app: FastifyInstance, deps: HttpDeps, kind: keyof typeof BODIES): void {
  route(
    app,
    deps,
    {
      method: 'POST',
      url: `/api/training/enrolments/:id/${kind}`,
      summary: SUMMARIES[kind],
      description:
        'Une déclaration faite plus de 3 jours après le fait est acceptée et marquée en retard. La sortie ouvre 3 mois de visibilité.',
      tags,
      auth,
      params: IdParams,
      body: BODIES[kind],
      response: FollowUpResponse,
      status: 201,
    },
    async ({ params, body }, reader) =>
      followUpOut(await declareFollowUp(deps.ctx, reader, params.id, { kind, ...body } as FollowUpDeclaration)),
  );
}

export const trainingRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/training/sessions',
      summary: 'Mes sessions de formation',
      tags,
      auth,
      response: SessionList,
    },
    async (_req, reader) => ({
      sessions: await listMySessions(deps.ctx, reader),
    }),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/training/sessions/:id/trainees',
      summary: 'Les stagiaires d’une session',
      tags,
      auth,
      params: IdParams,
      response: TraineeList,
    },
    async ({ params }, reader) => {
      const trainees = await listSessionTrainees(deps.ctx, reader, params.id);
      return { trainees: trainees.map((t) => ({ enrolment: t.enrolment, person: personView(t.person) })) };
    },
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/training/trainees/:personId',
      summary: 'Le dossier d’un stagiaire',
      tags,
      auth,
      params: PersonParams,
      query: PurposeQuery,
      response: TraineeFile,
    },
    async ({ params, query }, reader) => {
      const file = await getTrainee(deps.ctx, reader, params.personId, query.purpose);
      return { person: personView(file.person), enrolments: file.enrolments };
    },
  );

  for (const kind of Object.keys(BODIES) as (keyof typeof BODIES)[]) followUpRoute(app, deps, kind);
};
