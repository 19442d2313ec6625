/**
 * The job seeker's own space: my file, my contact details, my trainings, and the recruiters'
 * contact requests addressed to me. Every route works on the signed-in person only: there is no
 * person id in these URLs to tamper with.
 */
import { z } from 'zod';
import {
  answerContactRequest,
  getMyFile,
  listContactRequestsForMe,
  listMyFileAccesses,
  listMyTrainings,
} from '../../services/me.js';
import type { AccessEntry } from '../../audit/access-history.js';
import { FIELD_LABELS, isPersonalField } from '../../domain/fields.js';
import { PURPOSES, isPurpose } from '../../domain/purposes.js';
import { ORGANISATION_KIND_LABELS, ROLE_LABELS } from '../../domain/roles.js';
import type { ContactRequestForMe, MyTraining } from '../../services/me.js';
import { updateMyContact } from '../../services/me-contact.js';
import { Instant, iso, isoOrNull } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import {
  DisclosedPersonSchema,
  EnrolmentSchema,
  eventView,
  FollowUpEventSchema,
  PageQuery,
  pageSchema,
  pageView,
  personView,
  TrainingSessionSchema,
  Uuid,
} from './persona-schemas.js';

const tags = ['mon espace'];
const auth = ['job_seeker'] as const;

const ContactPatch = z
  .object({
    contact: z
      .object({ email: z.string().max(254).nullable(), phone: z.string().max(32).nullable() })
      .meta({ description: 'Les deux valeurs (null pour effacer) : le groupe est remplacé en entier.' })
      .optional(),
    address: z
      .object({
        addressLine: z.string().max(200),
        postalCode: z.string().regex(/^\d{5}$/),
        communeInsee: z.string().regex(/^(?:\d{5}|2[ABab]\d{3})$/),
      })
      .optional(),
  })
  .meta({ description: 'Le code postal doit desservir la commune (code INSEE).' });

const Training = z.object({
  enrolment: EnrolmentSchema,
  session: TrainingSessionSchema.extend({ organisationName: z.string() }),
  events: z.array(FollowUpEventSchema),
});
const RequestForMe = z.object({
  id: z.string(),
  employerName: z.string(),
  romeCode: z.string(),
  message: z.string(),
  status: z.enum(['pending', 'accepted', 'declined']),
  createdAt: Instant,
  answeredAt: Instant.nullable(),
});

const Access = z.object({
  at: Instant,
  who: z.string().meta({
    description:
      'L’organisation et le rôle de qui a consulté (« vous-même » pour vos propres consultations), jamais le nom de l’agent.',
  }),
  organisationId: z.string().nullable(),
  purpose: z.string().meta({ description: 'La finalité déclarée, en clair.' }),
  purposeCode: z.string(),
  fields: z.array(z.string()).meta({ description: 'Les informations communiquées, en clair.' }),
  fieldCodes: z.array(z.string()),
  reason: z.string().nullable().meta({ description: 'Le motif saisi, quand la finalité en exige un.' }),
});

/** The label of a code the log holds as text, or null for a code unknown to this version. */
const labelIn = <K extends string>(labels: Readonly<Record<K, string>>, code: string | null): string | null =>
  code !== null && Object.hasOwn(labels, code) ? labels[code as K] : null;

function accessOut(a: AccessEntry) {
  const role = labelIn(ROLE_LABELS, a.role);
  const kind = labelIn(ORGANISATION_KIND_LABELS, a.organisationKind);
  const who = a.self
    ? 'vous-même'
    : [a.organisationName ?? kind ?? 'organisation inconnue', role].filter(Boolean).join(', ');
  return {
    at: iso(a.at),
    who,
    organisationId: a.organisationId,
    purpose: isPurpose(a.purpose) ? PURPOSES[a.purpose] : a.purpose,
    purposeCode: a.purpose,
    fields: a.fields.map((f) => (isPersonalField(f) ? FIELD_LABELS[f] : f)),
    fieldCodes: [...a.fields],
    reason: a.reason,
  };
}

const trainingOut = (t: MyTraining) => ({ ...t, events: t.events.map(eventView) });
const requestOut = (r: ContactRequestForMe) => ({
  ...r,
  status: r.status as 'pending' | 'accepted' | 'declined',
  createdAt: iso(r.createdAt),
  answeredAt: isoOrNull(r.answeredAt),
});

/** The job seeker's own space. Registered in routes/index.ts. */
export const meRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    { method: 'GET', url: '/api/me', summary: 'Mon dossier', tags, auth, response: DisclosedPersonSchema },
    async (_req, reader) => personView(await getMyFile(deps.ctx, reader)),
  );

  route(
    app,
    deps,
    {
      method: 'PATCH',
      url: '/api/me/contact',
      summary: 'Modifier mes coordonnées',
      tags,
      auth,
      body: ContactPatch,
      response: DisclosedPersonSchema,
    },
    async ({ body }, reader) => personView(await updateMyContact(deps.ctx, reader, body)),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/me/accesses',
      summary: 'Qui a consulté mon dossier',
      description:
        'Chaque consultation de votre dossier, la plus récente d’abord : quand, par quelle organisation, pour quelle finalité et quelles informations. Une consultation que vous ne reconnaissez pas ? Signalez-la à votre conseiller ou au délégué à la protection des données de France Travail.',
      tags,
      auth,
      query: PageQuery,
      response: pageSchema(Access),
    },
    async ({ query }, reader) => pageView(await listMyFileAccesses(deps.ctx, reader, query), accessOut),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/me/trainings',
      summary: 'Mes formations',
      tags,
      auth,
      response: z.object({ trainings: z.array(Training) }),
    },
    async (_req, reader) => ({
      trainings: (await listMyTrainings(deps.ctx, reader)).map(trainingOut),
    }),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/me/contact-requests',
      summary: 'Les demandes de mise en relation qui me sont adressées',
      tags,
      auth,
      response: z.object({ requests: z.array(RequestForMe) }),
    },
    async (_req, reader) => ({ requests: (await listContactRequestsForMe(deps.ctx, reader)).map(requestOut) }),
  );

  for (const [action, answer] of [
    ['accept', 'accepted'],
    ['decline', 'declined'],
  ] as const) {
    route(
      app,
      deps,
      {
        method: 'POST',
        url: `/api/me/contact-requests/:id/${action}`,
        summary:
          action === 'accept' ? 'Accepter une mise en relation' : 'Refuser une mise en relation, ou retirer mon accord',
        tags,
        auth,
        params: z.object({ id: Uuid }),
        response: RequestForMe,
      },
      async ({ params }, reader) => requestOut(await answerContactRequest(deps.ctx, reader, params.id, answer)),
    );
  }
};
