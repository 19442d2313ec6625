/** Schemas shared by several route files. */
import { z } from 'zod';
import type { Account } from '../access/accounts.js';
import { ORGANISATION_KINDS, ROLES } from '../domain/roles.js';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Code stable, par exemple AUTH.INVALID_CREDENTIALS.' }),
      message: z.string().meta({ description: 'Message en français, destiné à l’utilisateur.' }),
      requestId: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ description: 'Erreur' });

/** An instant, ISO 8601 in UTC. */
export const Instant = z.string().meta({ format: 'date-time', description: 'Instant ISO 8601 (UTC).' });
export const iso = (epochMs: number): string => new Date(epochMs).toISOString();
export const isoOrNull = (epochMs: number | null): string | null => (epochMs === null ? null : iso(epochMs));

export const RoleSchema = z.enum(ROLES);
export const OrganisationKindSchema = z.enum(ORGANISATION_KINDS);
export const Uuid = z.uuid();

export const OrganisationView = z.object({ id: z.string(), kind: OrganisationKindSchema, name: z.string() });

/** An account as the API shows it: never a hash, a login index, nor a job seeker's personal data. */
export const AccountView = z.object({
  id: z.string(),
  role: RoleSchema,
  status: z.enum(['active', 'probation', 'disabled', 'suspended']),
  organisationId: z.string().nullable(),
  displayName: z.string().nullable().meta({ description: 'Agents seulement ; null pour un demandeur d’emploi.' }),
  email: z
    .string()
    .nullable()
    .meta({ description: 'Adresse professionnelle des agents ; null pour un demandeur d’emploi.' }),
  createdAt: Instant,
  lastLoginAt: Instant.nullable(),
  lockedUntil: Instant.nullable(),
});

export const accountView = (a: Account): z.input<typeof AccountView> => ({
  id: a.id,
  role: a.role,
  status: a.status,
  organisationId: a.organisationId,
  displayName: a.role === 'job_seeker' ? null : a.displayName,
  email: a.role === 'job_seeker' ? null : a.email,
  createdAt: iso(a.createdAt),
  lastLoginAt: isoOrNull(a.lastLoginAt),
  lockedUntil: isoOrNull(a.lockedUntil),
});
