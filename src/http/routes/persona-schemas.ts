/**
 * Schemas shared by the persona route files (training, adviser, partner, recruiter, me). Responses
 * are whitelists: the serializer keeps only the keys declared here, so a field the gate did not
 * mean to hand out, or a new column, cannot reach a client by accident.
 */
import { z } from 'zod';
import { CIVILITIES, DRIVING_LICENCES, EDUCATION_LEVELS } from '../../domain/person.js';
import type { DisclosedPerson } from '../../disclosure/types.js';
import type { EnrolmentView, FollowUpEventView, TrainingSessionView } from '../../services/enrolment-view.js';
import type { Page } from '../../services/paging.js';
import { Instant, iso } from '../common-schemas.js';

export { Uuid } from '../common-schemas.js';

export const IsoDate = z.iso.date().meta({ description: 'Date AAAA-MM-JJ.' });
export const IsoMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .meta({ description: 'Mois AAAA-MM.' });
export const RomeCode = z
  .string()
  .regex(/^[A-Na-n]\d{4}$/)
  .meta({ description: 'Code ROME v4.60, par exemple M1805.' });
export const DepartementCode = z
  .string()
  .regex(/^(?:\d{2}|2[ABab]|97\d)$/)
  .meta({ description: 'Code de département, par exemple 75, 2A ou 974.' });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(50).optional().meta({ description: 'Au plus 50.' }),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int(), items: z.array(item) });

export const pageView = <T, U>(page: Page<T>, view: (item: T) => U): Page<U> => ({
  ...page,
  items: page.items.map(view),
});

const text = z.string().optional();

/** Every personal field a presenter may grant; each is present only if granted for the purpose. */
export const PersonFields = z.object({
  identifier: text,
  civility: z.enum(CIVILITIES).optional(),
  lastName: text,
  birthName: text,
  firstNames: text,
  birthDate: text,
  nir: text,
  addressLine: text,
  postalCode: text,
  communeInsee: text,
  communeName: text,
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  departement: text,
  educationLevel: z.enum(EDUCATION_LEVELS).optional(),
  drivingLicences: z.array(z.enum(DRIVING_LICENCES)).optional(),
  vehicle: z.boolean().optional(),
  romeCodes: z.array(z.string()).optional(),
  category: text,
  status: text,
  registeredOn: text,
  struckOffOn: z.string().nullable().optional(),
  agencyId: text,
  adviserId: z.string().nullable().optional(),
});

export const DisclosedPersonSchema = z
  .object({
    id: z.string(),
    masked: z.boolean().meta({ description: 'Vrai si les champs identifiants ont été masqués par la détection.' }),
    fields: PersonFields,
  })
  .meta({ description: 'Une personne, avec les seuls champs accordés pour cette finalité.' });

export const personView = (p: DisclosedPerson): z.input<typeof DisclosedPersonSchema> => ({
  id: p.id,
  masked: p.masked,
  fields: p.fields,
});

export const EnrolmentSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  personId: z.string(),
  status: z.string(),
  prescribedOn: z.string(),
  enteredOn: z.string().nullable(),
  exitedOn: z.string().nullable(),
  exitReason: z.string().nullable(),
  visibleUntil: z.string().nullable(),
});

export const FollowUpEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  factDate: z.string(),
  month: z.string().nullable(),
  hoursAttended: z.number().nullable(),
  hoursAbsentJustified: z.number().nullable(),
  hoursAbsentUnjustified: z.number().nullable(),
  reason: z.string().nullable(),
  declaredAt: Instant,
  late: z.boolean().meta({ description: 'Déclarée plus de 3 jours après le fait.' }),
});

export const eventView = (e: FollowUpEventView): z.input<typeof FollowUpEventSchema> => ({
  ...e,
  declaredAt: iso(e.declaredAt),
});

export const TrainingSessionSchema = z.object({
  id: z.string(),
  organisationId: z.string(),
  title: z.string(),
  romeCodes: z.array(z.string()),
  startsOn: z.string(),
  endsOn: z.string(),
  placeCommuneInsee: z.string(),
  placeLabel: z.string(),
  capacity: z.number().int(),
});

export type EnrolmentOut = z.input<typeof EnrolmentSchema>;
export const enrolmentOut = (e: EnrolmentView): EnrolmentOut => e;
export const sessionOut = (s: TrainingSessionView): z.input<typeof TrainingSessionSchema> => s;
