/**
 * The figures of an attack, from the disclosure log (the records are the ground truth): the distinct
 * people whose identifying fields reached the attacker's requests, those among them the accounts'
 * real holders did not open over the same period, canaries among them, and for a leaked file, which
 * credential it came from.
 */
import { IDENTIFYING_FIELDS } from '../../domain/fields.js';
import type { PersonalField } from '../../domain/fields.js';
import type { Db } from '../../storage/database.js';
import { ATTACK_PREFIX, LEGIT_PREFIX } from './env.js';
import type { Attribution, Defence } from './types.js';

export interface Exposure {
  /** Distinct people whose identifying fields were disclosed to the attacker. */
  readonly exposed: ReadonlySet<string>;
  readonly beyondHolder: number;
}

const identifying = (fields: string): boolean =>
  fields.split(',').some((f) => IDENTIFYING_FIELDS.has(f as PersonalField));

const CHUNK = 500;

async function rowsOf(db: Db, accounts: readonly string[], since: number) {
  const rows: { reader_id: string; person_id: string; fields: string; request_id: string }[] = [];
  for (let i = 0; i < accounts.length; i += CHUNK) {
    const chunk = accounts.slice(i, i + CHUNK);
    rows.push(
      ...(await db
        .selectFrom('disclosures')
        .select(['reader_id', 'person_id', 'fields', 'request_id'])
        .where('reader_id', 'in', chunk)
        .where('at', '>=', since)
        .execute()),
    );
  }
  return rows;
}

/** Exposure through `accounts` since the attack's first request. */
export async function measureExposure(db: Db, accounts: readonly string[], since: number): Promise<Exposure> {
  const rows = await rowsOf(db, accounts, since);
  const opened = new Set(
    rows.filter((r) => r.request_id.startsWith(LEGIT_PREFIX)).map((r) => `${r.reader_id}/${r.person_id}`),
  );
  const taken = rows.filter((r) => r.request_id.startsWith(ATTACK_PREFIX) && identifying(r.fields));
  const exposed = new Set(taken.map((r) => r.person_id));
  const beyond = new Set(taken.filter((r) => !opened.has(`${r.reader_id}/${r.person_id}`)).map((r) => r.person_id));
  return { exposed, beyondHolder: beyond.size };
}

/** Which credential a leaked file came from: by a canary in it if the defence planted any, else by the log. */
export async function attribute(db: Db, defence: Defence, leaked: readonly string[]): Promise<Attribution | undefined> {
  if (leaked.length === 0) return undefined;
  for (const person of defence.attributeCanary ? leaked : []) {
    const canary = await defence.attributeCanary?.(person);
    if (canary)
      return {
        method: 'canary',
        accountId: canary.accountId,
        organisationId: canary.organisationId,
        exportId: canary.exportId,
        canary: person,
        leaked: leaked.length,
      };
  }
  const sample = leaked.slice(0, CHUNK);
  const rows = await db
    .selectFrom('disclosures')
    .select([
      'reader_id',
      (eb) => eb.fn.count<number>('person_id').distinct().as('n'),
      (eb) => eb.fn.count<number>('session_ref').distinct().as('sessions'),
    ])
    .where('person_id', 'in', sample)
    .groupBy('reader_id')
    .orderBy('n', 'desc')
    .orderBy('reader_id')
    .limit(1)
    .execute();
  const top = rows[0];
  return (
    top && {
      method: 'log',
      accountId: top.reader_id,
      sessions: Number(top.sessions),
      covers: Number(top.n),
      leaked: sample.length,
    }
  );
}
