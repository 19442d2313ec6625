/**
 * The people of an incident's scope as the security officer reads them. The list itself is
 * personal data: names and addresses come only through the gate (purpose `breach_response`, whose
 * relation is "in the scope of an incident not closed"), each read recorded in the disclosure log
 * like any other. respond/ cannot reach the gate itself (layer rules): the caller hands a
 * `PeopleReader` bound to the officer's Reader (services/breach-reader.ts).
 */
import type { PersonalField } from '../domain/fields.js';
import type { SealedPersonFields } from '../domain/person.js';
import { appendIncidentEvent } from '../storage/incidents-repo.js';
import type { ScopedPerson } from '../storage/scope-repo.js';
import { incidentPeoplePage } from '../storage/scope-repo.js';
import { loadIncident } from './incidents.js';
import type { Actor, RespondDeps } from './respond-deps.js';

/** What the gate may hand out for this purpose (see disclosure/presenters.ts). */
export type BreachContact = Partial<
  SealedPersonFields['identity'] & SealedPersonFields['address'] & SealedPersonFields['contact']
>;

/** Reads these people's fields through the gate, recorded; people it may not disclose are absent. */
export type PeopleReader = (
  people: readonly string[],
  fields: readonly PersonalField[],
) => Promise<ReadonlyArray<{ readonly id: string; readonly fields: BreachContact }>>;

export const NAME_FIELDS: readonly PersonalField[] = ['identifier', 'civility', 'lastName', 'firstNames'];

export interface NamedScopedPerson extends ScopedPerson {
  /** Null when the gate did not disclose them (erased since, or the incident closed meanwhile). */
  readonly name: { identifier: string; civility: string; lastName: string; firstNames: string } | null;
}

export interface ScopePage {
  readonly people: readonly NamedScopedPerson[];
  /** Person id to continue after, or null at the end. */
  readonly next: string | null;
}

export const MAX_PAGE = 200;

/** A page of the incident's people with their names, read through the gate and recorded. */
export async function readScopePage(
  deps: RespondDeps,
  actor: Actor,
  read: PeopleReader,
  input: { readonly incidentId: string; readonly after: string | null; readonly limit: number },
): Promise<ScopePage> {
  await loadIncident(deps, input.incidentId);
  const limit = Math.max(1, Math.min(MAX_PAGE, input.limit));
  const page = await incidentPeoplePage(deps.store.db, input.incidentId, input.after, limit);
  const read_ =
    page.length === 0
      ? []
      : await read(
          page.map((p) => p.personId),
          NAME_FIELDS,
        );
  const names = new Map(read_.map((r) => [r.id, r.fields]));
  if (page.length > 0)
    await appendIncidentEvent(deps.store.db, {
      incidentId: input.incidentId,
      at: deps.clock.now(),
      accountId: actor.accountId,
      sourceIp: actor.sourceIp,
      action: 'people_read',
      details: { people: page.length, disclosed: read_.length },
    });
  return {
    people: page.map((p) => ({ ...p, name: nameOf(names.get(p.personId)) })),
    next: page.length === limit ? page[page.length - 1]!.personId : null,
  };
}

function nameOf(f: BreachContact | undefined): NamedScopedPerson['name'] {
  if (!f || f.lastName === undefined) return null;
  return {
    identifier: f.identifier ?? '',
    civility: f.civility ?? '',
    lastName: f.lastName,
    firstNames: f.firstNames ?? '',
  };
}
