/**
 * Recruiter (recruteur): pseudonymised candidate profiles, contact requests, and the contact details
 * of the candidates who accepted. The profile schema carries no identifying field at all, so even a
 * presenter mistake could not put a name or a phone number in a search response.
 */
import { z } from 'zod';
import {
  listMyContactRequests,
  MAX_MESSAGE_LENGTH,
  requestContact,
} from '../../services/recruiter-contact-requests.js';
import type { ContactRequestView, RecruiterContactRequest } from '../../services/recruiter-contact-requests.js';
import { searchProfiles } from '../../services/recruiter-profiles.js';
import { Instant, iso, isoOrNull } from '../common-schemas.js';
import type { RouteModule } from '../route.js';
import { route } from '../route.js';
import {
  DepartementCode,
  DisclosedPersonSchema,
  PageQuery,
  pageSchema,
  pageView,
  PersonFields,
  personView,
  RomeCode,
  Uuid,
} from './persona-schemas.js';

const tags = ['recruteur'];
const auth = ['recruiter'] as const;

const ProfileQuery = PageQuery.extend({ rome: RomeCode, departement: DepartementCode });
const Profile = z.object({
  id: z.string().meta({ description: 'Référence du candidat, pour une demande de mise en relation.' }),
  masked: z.boolean(),
  fields: PersonFields.pick({
    departement: true,
    educationLevel: true,
    drivingLicences: true,
    vehicle: true,
    romeCodes: true,
  }),
});

const NewRequest = z.object({ personId: Uuid, romeCode: RomeCode, message: z.string().min(1).max(MAX_MESSAGE_LENGTH) });
const RequestSchema = z.object({
  id: z.string(),
  personId: z.string(),
  romeCode: z.string(),
  message: z.string(),
  status: z.enum(['pending', 'accepted', 'declined']),
  createdAt: Instant,
  answeredAt: Instant.nullable(),
});
const RequestWithCandidate = RequestSchema.extend({
  candidate: DisclosedPersonSchema.nullable().meta({
    description: 'Coordonnées du candidat, seulement s’il a accepté.',
  }),
});

const requestOut = (r: ContactRequestView) => ({
  ...r,
  status: r.status as 'pending' | 'accepted' | 'declined',
  createdAt: iso(r.createdAt),
  answeredAt: isoOrNull(r.answeredAt),
});
const withCandidateOut = (r: RecruiterContactRequest) => ({
  ...requestOut(r),
  candidate: r.candidate && personView(r.candidate),
});

export const recruiterRoutes: RouteModule = (app, deps) => {
  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/recruiter/profiles',
      summary: 'Rechercher des profils de candidats',
      description:
        'Profils pseudonymisés de demandeurs inscrits : ni nom, ni coordonnées, ni date de naissance, ni NIR. 50 par page au plus.',
      tags,
      auth,
      query: ProfileQuery,
      response: pageSchema(Profile),
      listing: 'candidates',
    },
    async ({ query }, reader) => pageView(await searchProfiles(deps.ctx, reader, query), (p) => p),
  );

  route(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/recruiter/contact-requests',
      summary: 'Demander une mise en relation',
      tags,
      auth,
      body: NewRequest,
      response: RequestSchema,
      status: 201,
    },
    async ({ body }, reader) => requestOut(await requestContact(deps.ctx, reader, body)),
  );

  route(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/recruiter/contact-requests',
      summary: 'Mes demandes de mise en relation',
      tags,
      auth,
      query: PageQuery,
      response: pageSchema(RequestWithCandidate),
      listing: 'contact_requests',
    },
    async ({ query }, reader) => pageView(await listMyContactRequests(deps.ctx, reader, query), withCandidateOut),
  );
};
