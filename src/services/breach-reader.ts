/**
 * The gate as the incident response reads it: purpose `breach_response`, for a security officer's
 * Reader, every read recorded in the disclosure log. Built without the budget step: detection
 * treats security officers as a closed role (one person), and a campaign reads 340,000 people; the
 * bound is the relation itself (only people in the scope of an incident not closed, an incident
 * whose opening and scope are security events), and every read is still recorded.
 */
import { createGate } from '../disclosure/gate.js';
import type { Reader } from '../disclosure/reader.js';
import type { Gate, PersonView } from '../disclosure/types.js';
import type { PersonalField } from '../domain/fields.js';
import { forbidden } from '../domain/errors.js';
import type { ServiceContext } from './service-context.js';

export interface BreachRead {
  readonly id: string;
  readonly fields: Partial<PersonView>;
}

const gates = new WeakMap<object, Gate>();

const breachGate = (ctx: Pick<ServiceContext, 'store' | 'keys' | 'clock'>): Gate => {
  let gate = gates.get(ctx.store);
  if (!gate) gates.set(ctx.store, (gate = createGate({ store: ctx.store, keys: ctx.keys, clock: ctx.clock })));
  return gate;
};

/** A reader of incident people bound to this officer; at most 200 people per call (the gate's limit). */
export function breachReader(
  ctx: Pick<ServiceContext, 'store' | 'keys' | 'clock'>,
  reader: Reader,
): (people: readonly string[], fields: readonly PersonalField[]) => Promise<BreachRead[]> {
  if (reader.role !== 'security_officer')
    throw forbidden('INCIDENT.OFFICER_ONLY', 'Seul un officier de sécurité ou le DPO répond aux incidents.');
  const gate = breachGate(ctx);
  return async (people, fields) => {
    const out: BreachRead[] = [];
    for (let i = 0; i < people.length; i += 200) {
      const disclosed = await gate.disclose({
        reader,
        purpose: 'breach_response',
        people: people.slice(i, i + 200),
        fields,
      });
      for (const d of disclosed) out.push({ id: d.id, fields: d.fields });
    }
    return out;
  };
}
