/**
 * Canaries (dossiers leurres): synthetic job seekers stored exactly like real people (sealed through
 * the vault, same tables), planted where bulk reading reaches and real work never does, one per
 * organisation, credential or export, so that a canary disclosed anywhere (the budget step contains
 * the credential at once) or found in a leak names its source.
 *
 *   training   enrolled in the organisation's finished session closest to leaving its visibility window
 *   agency     in the agency, in no adviser's portfolio
 *   (only a recruiter's canary appears in recruiters' searches: the others are kept out of person_rome)
 *   recruiter  a registered profile in a ROME code and département the caller chooses (rarely searched)
 *   export     added by the export to its own file: its own disclosure is expected, anyone else's is a leak
 *
 * The detection instance sees new canaries at its next refresh (call `detection.refresh()`).
 */
import { randomUUID } from 'node:crypto';
import type { Canary, CanaryPlacement } from '../detect/canary-registry.js';
import { canaryOf, insertCanary } from '../detect/canary-registry.js';
import { parisDate } from '../domain/clock.js';
import { addDays, addMonths } from '../domain/dates.js';
import { invalid, notFound } from '../domain/errors.js';
import type { RandomSource } from '../domain/random.js';
import { TRAINER_VISIBILITY_MONTHS } from '../domain/training.js';
import { findPeopleByIndex, insertPeople } from '../storage/people-repo.js';
import { blindIndex } from '../vault/blind-index.js';
import { canaryPerson, cryptoRandom } from './canary-identity.js';
import { personRecord } from './person-record.js';
import type { ServiceContext } from './service-context.js';

export type CanaryTarget =
  | { readonly placement: 'training'; readonly organisationId: string; readonly accountId?: string }
  | { readonly placement: 'agency'; readonly organisationId: string; readonly accountId?: string }
  | {
      readonly placement: 'recruiter';
      readonly organisationId: string;
      readonly accountId?: string;
      readonly romeCode: string;
      readonly departement: string;
    }
  | {
      readonly placement: 'export';
      readonly exportId: string;
      readonly organisationId: string | null;
      readonly agencyId: string;
    };

export interface PlantedCanary extends Canary {
  /** The synthetic identity's e-mail and identifier: what to search a leak for. */
  readonly email: string;
  readonly identifier: string;
}

interface Placement {
  readonly agencyId: string;
  readonly departement: string;
  readonly romeCodes: readonly string[];
  readonly label: string;
  /** Writes what places the canary (an enrolment) once the person exists. */
  readonly place?: (personId: string) => Promise<void>;
}

async function organisation(ctx: ServiceContext, id: string) {
  const org = await ctx.store.db
    .selectFrom('organisations')
    .select(['id', 'kind', 'name', 'departement'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!org) throw notFound('ORGANISATION.NOT_FOUND', 'Organisation introuvable.');
  return org;
}

/** An agency of the département (else any agency): every job seeker belongs to one. */
async function agencyNear(ctx: ServiceContext, departement: string | null): Promise<string> {
  const agencies = ctx.store.db.selectFrom('organisations').select('id').where('kind', '=', 'agency');
  const local =
    departement === null ? undefined : await agencies.where('departement', '=', departement).executeTakeFirst();
  const any = local ?? (await agencies.executeTakeFirst());
  if (!any) throw invalid('CANARY.NO_AGENCY', 'Aucune agence où rattacher le dossier leurre.');
  return any.id;
}

async function trainingPlacement(ctx: ServiceContext, organisationId: string, today: string): Promise<Placement> {
  const org = await organisation(ctx, organisationId);
  const session = await ctx.store.db
    .selectFrom('training_sessions')
    .select(['id', 'rome_codes', 'starts_on', 'ends_on'])
    .where('organisation_id', '=', organisationId)
    .where('ends_on', '<', today)
    .where('ends_on', '>=', addMonths(today, -TRAINER_VISIBILITY_MONTHS))
    .orderBy('ends_on')
    .executeTakeFirst();
  if (!session)
    throw invalid('CANARY.NO_FINISHED_SESSION', 'Aucune session terminée encore visible où placer le dossier leurre.');
  const agencyId = await agencyNear(ctx, org.departement);
  const adviser = await ctx.store.db
    .selectFrom('accounts')
    .select('id')
    .where('organisation_id', '=', agencyId)
    .where('role', '=', 'adviser')
    .executeTakeFirst();
  const place = async (personId: string) => {
    await ctx.store.db
      .insertInto('enrolments')
      .values({
        id: randomUUID(),
        session_id: session.id,
        person_id: personId,
        organisation_id: organisationId,
        prescribed_by: adviser?.id ?? agencyId,
        prescribed_on: addDays(session.starts_on, -20),
        status: 'completed',
        entered_on: session.starts_on,
        exited_on: session.ends_on,
        exit_reason: 'completed_no_certification',
        visible_until: addMonths(session.ends_on, TRAINER_VISIBILITY_MONTHS),
        created_at: ctx.clock.now(),
      })
      .execute();
  };
  return {
    agencyId,
    departement: org.departement ?? '75',
    romeCodes: session.rome_codes.split(',').filter(Boolean),
    label: `Organisme de formation ${org.name}`,
    place,
  };
}

async function placementOf(ctx: ServiceContext, target: CanaryTarget, today: string): Promise<Placement> {
  switch (target.placement) {
    case 'training':
      return trainingPlacement(ctx, target.organisationId, today);
    case 'agency': {
      const org = await organisation(ctx, target.organisationId);
      if (org.kind !== 'agency') throw invalid('CANARY.NOT_AN_AGENCY', 'Cette organisation n’est pas une agence.');
      return {
        agencyId: org.id,
        departement: org.departement ?? '75',
        romeCodes: ['K2204'],
        label: `Agence ${org.name}`,
      };
    }
    case 'recruiter': {
      const org = await organisation(ctx, target.organisationId);
      return {
        agencyId: await agencyNear(ctx, target.departement),
        departement: target.departement,
        romeCodes: [target.romeCode],
        label: `Recruteur ${org.name}`,
      };
    }
    case 'export':
      return {
        agencyId: target.agencyId,
        departement: (await organisation(ctx, target.agencyId)).departement ?? '75',
        romeCodes: ['M1607'],
        label: `Export ${target.exportId}`,
      };
  }
}

/** A synthetic person whose identifier and e-mail no one else has (the identifier space is shared with real people). */
async function uniquePerson(
  ctx: ServiceContext,
  random: RandomSource,
  p: Placement,
  today: string,
  newId: () => string,
) {
  for (;;) {
    const person = canaryPerson(random, {
      id: newId(),
      agencyId: p.agencyId,
      departement: p.departement,
      romeCodes: p.romeCodes,
      today,
    });
    const taken = await findPeopleByIndex(
      ctx.store.db,
      'bi_identifier',
      blindIndex(ctx.keys, 'identifier', person.sealed.identity.identifier),
    );
    if (taken.length === 0) return person;
  }
}

async function plantOne(
  ctx: ServiceContext,
  target: CanaryTarget,
  random: RandomSource,
  newId: () => string,
): Promise<PlantedCanary> {
  const now = ctx.clock.now();
  const today = parisDate(now);
  const placement = await placementOf(ctx, target, today);
  const person = await uniquePerson(ctx, random, placement, today, newId);
  await insertPeople(ctx.store.db, [personRecord(ctx.keys, person, now)]);
  await placement.place?.(person.id);
  // Only a recruiter's canary is searchable by recruiters: another one would be reached by real
  // recruiters' searches (its ROME code is a common one) and would name the wrong source.
  if (target.placement !== 'recruiter')
    await ctx.store.db.deleteFrom('person_rome').where('person_id', '=', person.id).execute();
  const canary: Canary = {
    personId: person.id,
    placement: target.placement as CanaryPlacement,
    organisationId: target.organisationId,
    accountId: 'accountId' in target ? (target.accountId ?? null) : null,
    exportId: target.placement === 'export' ? target.exportId : null,
    label: placement.label,
    plantedAt: now,
  };
  await insertCanary(ctx.store.db, canary);
  return { ...canary, email: person.sealed.contact.email ?? '', identifier: person.sealed.identity.identifier };
}

/** Plants one canary per target (`newId`: person ids, random UUIDs unless a simulation needs them reproducible). */
export async function plantCanaries(
  ctx: ServiceContext,
  targets: readonly CanaryTarget[],
  random: RandomSource = cryptoRandom,
  newId: () => string = randomUUID,
): Promise<PlantedCanary[]> {
  const planted: PlantedCanary[] = [];
  for (const target of targets) planted.push(await plantOne(ctx, target, random, newId));
  return planted;
}

export interface CanaryAttribution extends Canary {
  readonly organisationName: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^\d{7}[A-Za-z]$/;

async function personIdsOf(ctx: ServiceContext, clue: string): Promise<string[]> {
  const value = clue.trim();
  if (UUID.test(value)) return [value.toLowerCase()];
  if (value.includes('@')) return findPeopleByIndex(ctx.store.db, 'bi_email', blindIndex(ctx.keys, 'email', value));
  if (IDENTIFIER.test(value.replace(/\s/g, '')))
    return findPeopleByIndex(ctx.store.db, 'bi_identifier', blindIndex(ctx.keys, 'identifier', value));
  return findPeopleByIndex(ctx.store.db, 'bi_phone', blindIndex(ctx.keys, 'phone', value));
}

/**
 * Whom a canary seen somewhere was planted for: give its person id, e-mail, identifier or phone
 * number. Null when the clue matches no canary (a real person's data gives nothing away here).
 */
export async function attributeCanary(ctx: ServiceContext, clue: string): Promise<CanaryAttribution | null> {
  for (const personId of await personIdsOf(ctx, clue).catch(() => [] as string[])) {
    const canary = await canaryOf(ctx.store.db, personId);
    if (!canary) continue;
    const org =
      canary.organisationId === null
        ? undefined
        : await ctx.store.db
            .selectFrom('organisations')
            .select('name')
            .where('id', '=', canary.organisationId)
            .executeTakeFirst();
    return { ...canary, organisationName: org?.name ?? null };
  }
  return null;
}
