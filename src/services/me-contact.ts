/**
 * A job seeker updates their contact details: e-mail, phone, postal address. Each changed group is
 * replaced whole (nothing is decrypted to merge), re-sealed under the person's existing data key,
 * and its blind indexes recomputed, in one transaction. A new address also moves the clear
 * département used by searches. The updated file is then read back through the gate.
 */
import { AppError, invalid, notFound } from '../domain/errors.js';
import { SEALED_GROUP_NAMES } from '../domain/fields.js';
import type { SealedGroup } from '../domain/fields.js';
import type { SealedPersonFields } from '../domain/person.js';
import type { Reader } from '../disclosure/reader.js';
import type { DisclosedPerson } from '../disclosure/types.js';
import { checkPostalCode, communeByInsee } from '../referential/communes.js';
import type { Updateable } from 'kysely';
import type { Tx } from '../storage/database.js';
import type { PersonTable } from '../storage/schema.js';
import type { KeyringSource } from '../vault/index.js';
import { blindIndex, normaliseEmail, normalisePhone } from '../vault/index.js';
import { resealGroups } from '../vault/reseal.js';
import type { Resealed, ResealTarget } from '../vault/reseal.js';
import { requireJobSeeker } from './guards.js';
import { getMyFile } from './me.js';
import type { ServiceContext } from './service-context.js';

export interface ContactUpdate {
  /** Both values, each possibly null to remove it: the contact group is replaced whole. */
  contact?: { email: string | null; phone: string | null };
  address?: { addressLine: string; postalCode: string; communeInsee: string };
}

export type UpdatableGroups = Partial<Pick<SealedPersonFields, 'address' | 'contact'>>;

const SEALED_COLUMN = {
  identity: 's_identity',
  birth: 's_birth',
  nir: 's_nir',
  address: 's_address',
  contact: 's_contact',
} as const satisfies Record<SealedGroup, keyof PersonTable>;

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/u;
const MAX_LINE = 200;

function parseContact(c: NonNullable<ContactUpdate['contact']>): SealedPersonFields['contact'] {
  const email = c.email === null || c.email.trim() === '' ? null : normaliseEmail(c.email);
  if (email !== null && (email.length > 254 || !EMAIL_RE.test(email)))
    throw invalid('CONTACT.INVALID_EMAIL', 'Adresse e-mail invalide.');
  const phone = c.phone === null || c.phone.trim() === '' ? null : normalisePhone(c.phone);
  if (c.phone !== null && c.phone.trim() !== '' && phone === null) {
    throw invalid(
      'CONTACT.INVALID_PHONE',
      'Numéro de téléphone invalide (par exemple 06 12 34 56 78 ou +33 6 12 34 56 78).',
    );
  }
  return { email, phone };
}

function parseAddress(a: NonNullable<ContactUpdate['address']>): {
  address: SealedPersonFields['address'];
  departement: string;
} {
  const addressLine = a.addressLine.trim().replace(/\s+/g, ' ');
  if (addressLine.length === 0 || addressLine.length > MAX_LINE) {
    throw invalid('ADDRESS.INVALID_LINE', `L’adresse doit comporter entre 1 et ${MAX_LINE} caractères.`);
  }
  const postalCode = a.postalCode.trim();
  const communeInsee = a.communeInsee.trim().toUpperCase();
  const mismatch = checkPostalCode(communeInsee, postalCode);
  if (mismatch) throw mismatch;
  const commune = communeByInsee(communeInsee);
  if (!commune) throw invalid('COMMUNE.UNKNOWN', 'Cette commune est inconnue (code INSEE).');
  return {
    address: { addressLine, postalCode, communeInsee, communeName: commune.name },
    departement: commune.departement,
  };
}

interface ParsedUpdate {
  groups: UpdatableGroups;
  departement: string | undefined;
}

function parseUpdate(update: ContactUpdate): ParsedUpdate {
  const contact = update.contact ? parseContact(update.contact) : undefined;
  const place = update.address ? parseAddress(update.address) : undefined;
  if (!contact && !place) throw invalid('CONTACT.NOTHING_TO_UPDATE', 'Indiquez les coordonnées à modifier.');
  return {
    groups: { ...(contact && { contact }), ...(place && { address: place.address }) },
    departement: place?.departement,
  };
}

async function lockMyKey(tx: Tx, personId: string): Promise<ResealTarget> {
  await tx
    .updateTable('people')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', personId)
    .execute();
  const row = await tx
    .selectFrom('people')
    .select(['id', 'key_version', 'wrapped_key'])
    .where('id', '=', personId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.wrapped_key === null)
    throw notFound('PERSON.NOT_FOUND', 'Aucun dossier accessible ne correspond à cette demande.');
  return { id: row.id, keyVersion: Number(row.key_version), wrappedKey: row.wrapped_key };
}

const indexOf = (keys: KeyringSource, kind: 'email' | 'phone', value: string | null): Buffer | null =>
  value === null ? null : blindIndex(keys, kind, value);

/** The people columns to write: key, re-sealed groups, the blind indexes of the new values, the clear département. */
function columnsOf(keys: KeyringSource, parsed: ParsedUpdate, sealed: Resealed, now: number): Updateable<PersonTable> {
  const columns: Updateable<PersonTable> = {
    key_version: sealed.keyVersion,
    wrapped_key: sealed.wrappedKey,
    updated_at: now,
  };
  for (const group of SEALED_GROUP_NAMES) {
    const blob = sealed.groups[group];
    if (blob) columns[SEALED_COLUMN[group]] = blob;
  }
  for (const group of ['contact', 'address'] as const) {
    if (parsed.groups[group] && !sealed.groups[group])
      throw new AppError('CONTACT.SEAL_FAILED', 'internal', 'Erreur interne.');
  }
  const { contact } = parsed.groups;
  if (contact)
    Object.assign(columns, {
      bi_email: indexOf(keys, 'email', contact.email),
      bi_phone: indexOf(keys, 'phone', contact.phone),
    });
  if (parsed.departement !== undefined) columns.departement = parsed.departement;
  return columns;
}

/** Replaces my e-mail and phone, and/or my postal address; returns my file as the gate shows it. */
export async function updateMyContact(
  ctx: ServiceContext,
  reader: Reader,
  update: ContactUpdate,
): Promise<DisclosedPerson> {
  const me = requireJobSeeker(reader);
  const parsed = parseUpdate(update);
  await ctx.store.db.transaction().execute(async (tx) => {
    const key = await lockMyKey(tx, me);
    const sealed = await resealGroups(ctx.keys, key, parsed.groups);
    await tx
      .updateTable('people')
      .set(columnsOf(ctx.keys, parsed, sealed, ctx.clock.now()))
      .where('id', '=', me)
      .execute();
    if (parsed.departement !== undefined) {
      await tx
        .updateTable('person_rome')
        .set({ departement: parsed.departement })
        .where('person_id', '=', me)
        .execute();
    }
  });
  return getMyFile(ctx, reader);
}
