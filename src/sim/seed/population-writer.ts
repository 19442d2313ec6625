/**
 * Writes chunks of people in large transactions: rows are buffered until about 50,000 people, then
 * inserted table by table, each sorted by its primary key (an ordered B-tree walk instead of a
 * random one), with each person's ROME codes into the search table, as `insertPeople` does.
 */
import type { Insertable } from 'kysely';
import type { Store } from '../../storage/database.js';
import type { PersonRomeTable } from '../../storage/schema.js';
import type { BulkInserter } from './bulk-insert.js';
import type { ChunkRows } from './people-chunk.js';

const FLUSH_EVERY_PEOPLE = 50_000;

export interface PopulationCounts {
  people: number;
  personRome: number;
  coManagements: number;
  enrolments: number;
  followups: number;
  contactRequests: number;
  jobSeekerAccounts: number;
}

const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };

const romeRows = (people: ChunkRows['people']): Insertable<PersonRomeTable>[] =>
  people.flatMap((p) =>
    [...new Set(p.rome_codes.split(',').filter(Boolean))].map((code) => ({
      person_id: p.id,
      rome_code: code,
      departement: p.departement,
    })),
  );

export class PopulationWriter {
  readonly counts: PopulationCounts = {
    people: 0,
    personRome: 0,
    coManagements: 0,
    enrolments: 0,
    followups: 0,
    contactRequests: 0,
    jobSeekerAccounts: 0,
  };
  #buffer: ChunkRows[] = [];
  #buffered = 0;

  constructor(
    private readonly store: Store,
    private readonly inserter: BulkInserter,
    private readonly flushEvery = FLUSH_EVERY_PEOPLE,
  ) {}

  async add(chunk: ChunkRows): Promise<void> {
    this.#buffer.push(chunk);
    this.#buffered += chunk.people.length;
    if (this.#buffered >= this.flushEvery) await this.flush();
  }

  async flush(): Promise<void> {
    const chunks = this.#buffer;
    this.#buffer = [];
    this.#buffered = 0;
    if (chunks.length === 0) return;
    const people = chunks.flatMap((c) => c.people).sort(byKey((p) => p.id));
    const rome = romeRows(people);
    const coManagements = chunks.flatMap((c) => c.coManagements).sort(byKey((r) => r.person_id));
    const enrolments = chunks.flatMap((c) => c.enrolments).sort(byKey((e) => e.id));
    const followups = chunks.flatMap((c) => c.followups).sort(byKey((f) => f.id));
    const contactRequests = chunks.flatMap((c) => c.contactRequests).sort(byKey((r) => r.id));
    const accounts = chunks.flatMap((c) => c.accounts).sort(byKey((a) => a.id));
    await this.store.db.transaction().execute(async (tx) => {
      await this.inserter.insert(tx, 'people', people);
      await this.inserter.insert(tx, 'person_rome', rome);
      await this.inserter.insert(tx, 'co_managements', coManagements);
      await this.inserter.insert(tx, 'enrolments', enrolments);
      await this.inserter.insert(tx, 'followup_events', followups);
      await this.inserter.insert(tx, 'contact_requests', contactRequests);
      await this.inserter.insert(tx, 'accounts', accounts);
    });
    const c = this.counts;
    c.people += people.length;
    c.personRome += rome.length;
    c.coManagements += coManagements.length;
    c.enrolments += enrolments.length;
    c.followups += followups.length;
    c.contactRequests += contactRequests.length;
    c.jobSeekerAccounts += accounts.length;
  }
}
