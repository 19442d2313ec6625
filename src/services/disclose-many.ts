import type { DisclosedPerson, DisclosureRequest, Gate } from '../disclosure/types.js';
import { MAX_PEOPLE_PER_DISCLOSURE } from '../disclosure/types.js';

/**
 * Asks the gate for a list of people, in chunks it accepts, and indexes the answer by person id.
 * People the gate does not disclose are simply absent from the map.
 */
export async function discloseMany(gate: Gate, request: DisclosureRequest): Promise<Map<string, DisclosedPerson>> {
  const ids = [...new Set(request.people)];
  const found = new Map<string, DisclosedPerson>();
  for (let i = 0; i < ids.length; i += MAX_PEOPLE_PER_DISCLOSURE) {
    const chunk = ids.slice(i, i + MAX_PEOPLE_PER_DISCLOSURE);
    for (const person of await gate.disclose({ ...request, people: chunk })) found.set(person.id, person);
  }
  return found;
}
