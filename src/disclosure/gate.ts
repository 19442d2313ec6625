import type { Clock } from '../domain/clock.js';
import { parisDate } from '../domain/clock.js';
import { AppError, forbidden, invalid, notFound } from '../domain/errors.js';
import type { PersonalField } from '../domain/fields.js';
import { IDENTIFYING_FIELDS } from '../domain/fields.js';
import { MIN_REASON_LENGTH, PURPOSES_REQUIRING_REASON } from '../domain/purposes.js';
import type { BudgetHook } from '../detect/budget.js';
import { unlimitedBudget } from '../detect/budget.js';
import type { Store } from '../storage/database.js';
import type { KeyringSource } from '../vault/keyring.js';
import { DisclosureLog } from './disclosure-log-writer.js';
import { readPlan } from './person-columns.js';
import type { ReadPlan } from './person-columns.js';
import { PersonQueries } from './person-query.js';
import { POLICIES } from './policies/index.js';
import type { Relation } from './policies/policy.js';
import { allowedFields } from './presenters.js';
import { present } from './present.js';
import type { DisclosedPerson, DisclosureRequest, Gate } from './types.js';
import { asGateMiss, MAX_PEOPLE_PER_DISCLOSURE } from './types.js';

export interface GateDeps {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: Clock;
  readonly budget?: BudgetHook;
}

/** A request that passed validation: what the transaction needs to know. */
interface Checked {
  readonly request: DisclosureRequest;
  readonly relation: Relation;
  readonly fields: readonly PersonalField[];
  readonly plan: ReadPlan;
  readonly people: readonly string[];
}

/**
 * The gate: the only code path that decrypts personal fields. In one transaction it
 * 1. selects the requested people who stand in the policy's relationship to the reader,
 * 2. keeps the fields the presenter allows for this role and purpose,
 * 3. asks the budget step (detection) whether this fits the reader's exposure budget,
 * 4. decrypts only the sealed groups those fields need,
 * 5. records one disclosure row per person disclosed.
 * A person who is absent and a person the reader may not see are indistinguishable.
 */
export function createGate(deps: GateDeps): Gate {
  const queries = new PersonQueries(deps.store.db);
  const log = new DisclosureLog(deps.store.db);
  const budget = deps.budget ?? unlimitedBudget;

  const disclose = async (request: DisclosureRequest): Promise<DisclosedPerson[]> => {
    const checked = check(request);
    if (checked.people.length === 0) return [];
    const now = deps.clock.now();
    const { reader } = request;
    const params = {
      accountId: reader.accountId,
      organisationId: reader.organisationId ?? '',
      personId: reader.personId ?? '',
      today: parisDate(now),
    };
    return deps.store.atomic(async (q) => {
      const rows = await q.rows(
        queries.select(reader.role, request.purpose, checked.relation, checked.plan, checked.people, params),
      );
      if (rows.length < checked.people.length) budget.miss?.(reader, checked.people.length - rows.length, now);
      if (rows.length === 0) return [];
      const decision = await budget.assess(
        { reader, purpose: request.purpose, people: rows.map((r) => r.id), fields: checked.fields, now },
        q,
      );
      if (decision.action === 'refuse') throw decision.error;
      const masked = decision.action === 'mask';
      const plan = masked ? readPlan(checked.fields.filter((f) => !IDENTIFYING_FIELDS.has(f))) : checked.plan;
      const disclosed = rows.map((row) => present(deps.keys, row, plan, masked));
      q.runLast(log.insert(disclosed.map((d) => log.record(request, d, now))));
      return disclosed;
    });
  };

  return {
    disclose,
    discloseOne: async (request) => {
      const [person] = await disclose({ ...request, people: [request.person] });
      if (!person)
        throw asGateMiss(notFound('PERSON.NOT_FOUND', 'Aucun dossier accessible ne correspond à cette demande.'));
      return person;
    },
  };
}

function check(request: DisclosureRequest): Checked {
  const { reader, purpose } = request;
  const relation = POLICIES[reader.role][purpose];
  const allowed = allowedFields(reader.role, purpose);
  if (!relation || !allowed) {
    throw forbidden('DISCLOSURE.PURPOSE_NOT_ALLOWED', "Cette finalité n'est pas ouverte à votre rôle.");
  }
  if (PURPOSES_REQUIRING_REASON.has(purpose) && (request.reason?.trim().length ?? 0) < MIN_REASON_LENGTH) {
    throw invalid(
      'DISCLOSURE.REASON_REQUIRED',
      `Cette consultation exige un motif d'au moins ${MIN_REASON_LENGTH} caractères.`,
    );
  }
  const fields = request.fields ?? allowed;
  const refused = fields.find((f) => !allowed.includes(f));
  if (refused !== undefined) {
    throw new AppError(
      'DISCLOSURE.FIELD_NOT_ALLOWED',
      'forbidden',
      "Un champ demandé n'est pas nécessaire à cette finalité.",
      { field: refused },
    );
  }
  if (fields.length === 0) throw invalid('DISCLOSURE.NO_FIELDS', 'Aucun champ demandé.');
  const people = request.people.length === 1 ? request.people : [...new Set(request.people)];
  if (people.length > MAX_PEOPLE_PER_DISCLOSURE) {
    throw invalid('DISCLOSURE.TOO_MANY_PEOPLE', `Au plus ${MAX_PEOPLE_PER_DISCLOSURE} personnes par consultation.`);
  }
  return { request, relation, fields, plan: readPlan(fields), people };
}
