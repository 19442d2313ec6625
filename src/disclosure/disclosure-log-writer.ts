import type { CompiledQuery, Insertable, Kysely } from 'kysely';
import type { DisclosureRecord } from '../audit/disclosure-log.js';
import { withLeafHash } from '../audit/disclosure-log.js';
import { queryTemplate } from '../storage/atomic.js';
import type { Database, DisclosureTable } from '../storage/schema.js';
import type { DisclosedPerson, DisclosureRequest } from './types.js';

const COLUMNS = [
  'at',
  'request_id',
  'reader_id',
  'session_ref',
  'organisation_id',
  'person_id',
  'purpose',
  'fields',
  'reason',
  'source_ip',
  'leaf_hash',
] as const;
type Template = (args: readonly unknown[]) => CompiledQuery;

/** Builds the disclosure rows and their multi-row insert (compiled once per row count). */
export class DisclosureLog {
  readonly #templates = new Map<number, Template>();

  constructor(private readonly db: Kysely<Database>) {}

  record(request: DisclosureRequest, person: DisclosedPerson, at: number): DisclosureRecord {
    const { reader } = request;
    return {
      at,
      request_id: reader.requestId,
      reader_id: reader.accountId,
      session_ref: reader.sessionRef,
      organisation_id: reader.organisationId,
      person_id: person.id,
      purpose: request.purpose,
      fields: Object.keys(person.fields).join(','),
      reason: request.reason?.trim() || null,
      source_ip: reader.sourceIp,
    };
  }

  insert(records: readonly DisclosureRecord[]): CompiledQuery {
    const values: unknown[] = [];
    for (const record of records) {
      const row = withLeafHash(record);
      for (const column of COLUMNS) values.push(row[column]);
    }
    return this.#template(records.length)(values);
  }

  #template(n: number): Template {
    let t = this.#templates.get(n);
    if (!t) {
      t = queryTemplate(n * COLUMNS.length, (ph) => {
        const values: Insertable<DisclosureTable>[] = [];
        for (let i = 0; i < n; i++) {
          const row: Record<string, unknown> = {};
          COLUMNS.forEach((c, j) => (row[c] = ph[i * COLUMNS.length + j]));
          values.push(row as unknown as Insertable<DisclosureTable>);
        }
        return this.db.insertInto('disclosures').values(values);
      });
      this.#templates.set(n, t);
    }
    return t;
  }
}
