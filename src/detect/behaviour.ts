/**
 * Per-credential behaviour the HTTP and service layers report, outside the gate: list and page
 * requests (sequential or exhaustive paging), lookups that found nobody (enumeration), and for
 * recruiters the ROME codes and départements searched. Kept in memory, by hour and by day.
 */
import { HOUR_MS } from './paris-time.js';

export interface ListingOptions {
  /** The number of pages the listing has, when known: reaching the last one is exhaustive paging. */
  readonly pageCount?: number;
  /** Recruiter search facets. */
  readonly rome?: string;
  readonly departement?: string;
}

export interface CredentialBehaviour {
  kind: string;
  lastPage: number;
  /** Consecutive pages (1, 2, 3…) of the same listing. */
  run: number;
  /** The run reached the listing's last page. */
  exhaustive: boolean;
  hour: number;
  pagesThisHour: number;
  missesThisHour: number;
  day: number;
  romes: Set<string>;
  departements: Set<string>;
  lastAt: number;
}

const MAX_CREDENTIALS = 100_000;

/** A recruiter's search facets over the Paris week, whatever the session (a harvest spans days). */
export interface WeekSpread {
  week: number;
  romes: Set<string>;
  departements: Set<string>;
}

/** A credential: an account and the session it uses ('-' without one). */
export interface CredentialRef {
  readonly accountId: string;
  readonly sessionRef: string | null;
}

export class BehaviourLog {
  /** By account, then by session reference: no key is built on the hot path. */
  private readonly byAccount = new Map<string, Map<string, CredentialBehaviour>>();
  private readonly weeks = new Map<string, WeekSpread>();
  private size = 0;

  /** The account's search facets this week (undefined: none). */
  week(accountId: string, week: number): WeekSpread | undefined {
    const w = this.weeks.get(accountId);
    return w && w.week === week ? w : undefined;
  }

  get(c: CredentialRef): CredentialBehaviour | undefined {
    return this.byAccount.get(c.accountId)?.get(c.sessionRef ?? '-');
  }

  listing(
    c: CredentialRef,
    kind: string,
    page: number,
    options: ListingOptions,
    now: number,
    day: number,
    week = -1,
  ): void {
    if (options.rome !== undefined || options.departement !== undefined) this.addWeek(c.accountId, week, options);
    const b = this.entry(c, now, day);
    const sequential = kind === b.kind && page === b.lastPage + 1;
    b.run = sequential ? b.run + 1 : page === 1 ? 1 : 0;
    b.exhaustive =
      sequential && options.pageCount !== undefined && page >= options.pageCount
        ? true
        : kind === b.kind && b.exhaustive;
    b.kind = kind;
    b.lastPage = page;
    b.pagesThisHour++;
    if (options.rome !== undefined) b.romes.add(options.rome);
    if (options.departement !== undefined) b.departements.add(options.departement);
  }

  private addWeek(accountId: string, week: number, options: ListingOptions): void {
    let w = this.weeks.get(accountId);
    if (!w || w.week !== week) {
      if (this.weeks.size >= MAX_CREDENTIALS) this.weeks.clear();
      this.weeks.set(accountId, (w = { week, romes: new Set(), departements: new Set() }));
    }
    if (options.rome !== undefined) w.romes.add(options.rome);
    if (options.departement !== undefined) w.departements.add(options.departement);
  }

  miss(c: CredentialRef, count: number, now: number, day: number): void {
    this.entry(c, now, day).missesThisHour += count;
  }

  private entry(c: CredentialRef, now: number, day: number): CredentialBehaviour {
    const hour = Math.floor(now / HOUR_MS);
    let sessions = this.byAccount.get(c.accountId);
    if (!sessions) this.byAccount.set(c.accountId, (sessions = new Map()));
    let b = sessions.get(c.sessionRef ?? '-');
    if (!b) {
      if (this.size >= MAX_CREDENTIALS) this.sweep(now);
      b = {
        kind: '',
        lastPage: 0,
        run: 0,
        exhaustive: false,
        hour,
        pagesThisHour: 0,
        missesThisHour: 0,
        day,
        romes: new Set(),
        departements: new Set(),
        lastAt: now,
      };
      sessions.set(c.sessionRef ?? '-', b);
      this.size++;
    }
    if (b.hour !== hour) Object.assign(b, { hour, pagesThisHour: 0, missesThisHour: 0 });
    if (b.day !== day) Object.assign(b, { day, romes: new Set(), departements: new Set() });
    b.lastAt = now;
    return b;
  }

  private sweep(now: number): void {
    for (const [account, sessions] of this.byAccount) {
      for (const [ref, b] of sessions) if (now - b.lastAt > 24 * HOUR_MS) sessions.delete(ref);
      if (sessions.size === 0) this.byAccount.delete(account);
    }
    this.size = 0;
    for (const sessions of this.byAccount.values()) this.size += sessions.size;
  }
}
