/**
 * A simulated user of one account on one device: signs in (a session row, as the sign-in route
 * opens it), and before each request resolves its session exactly as authentication does
 * (access/sessions.ts), building the Reader the routes build. Legitimate users prove their second
 * factor when asked (step-up); attackers cannot, unless they stole a session opened with MFA.
 */
import type { RequestSource } from '../../access/access-deps.js';
import { getAccount } from '../../access/accounts.js';
import { recordSecurityEvent } from '../../access/security-events.js';
import { createSession, hashToken, resolveSession } from '../../access/sessions.js';
import type { Assurance } from '../../access/sessions.js';
import { AppError, isAppError } from '../../domain/errors.js';
import type { Reader } from '../../disclosure/reader.js';
import type { SimEnv } from './env.js';

const LIVE: ReadonlySet<string> = new Set(['active', 'probation']);

export const signInRefused = (): AppError =>
  new AppError('SIM.SIGN_IN_REFUSED', 'forbidden', 'Compte suspendu ou désactivé.');
const channelClosed = (): AppError =>
  new AppError('AUTH.CHANNEL_SUSPENDED', 'forbidden', 'Accès de l’organisation suspendu.');

export class Actor {
  #token: string | null = null;

  constructor(
    private readonly env: SimEnv,
    readonly accountId: string,
    readonly source: RequestSource,
    readonly requestPrefix: string,
    /** Staff prove a second factor at sign-in (passkey or TOTP); job seekers sign in with a password. */
    readonly staff = false,
  ) {}

  get token(): string | null {
    return this.#token;
  }

  /** Uses a session token taken elsewhere (an infostealer's cookie jar). */
  useToken(token: string): void {
    this.#token = token;
  }

  /** Opens a new session, if the account may still sign in (active or probation, channel open). */
  async signIn(assurance: Assurance = 'password'): Promise<void> {
    const { db } = this.env.store;
    const row = await db
      .selectFrom('accounts as a')
      .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['a.status', 'o.channel_suspended_at'])
      .where('a.id', '=', this.accountId)
      .executeTakeFirst();
    if (!row || !LIVE.has(row.status)) throw signInRefused();
    if (row.channel_suspended_at !== null) throw channelClosed();
    const now = this.env.clock.now();
    const account = await getAccount(db, this.accountId);
    const grant = await createSession(this.env.access, account, this.source, assurance);
    await recordSecurityEvent(db, {
      at: now,
      kind: 'auth.sign_in',
      accountId: this.accountId,
      sourceIp: this.source.ip,
    });
    this.#token = grant.token;
  }

  /** The Reader of the next request; signs in again when the session has lapsed (idle, lifetime). */
  async reader(): Promise<Reader> {
    if (this.#token === null) await this.signIn(this.#assurance());
    try {
      return await this.#resolve();
    } catch (e) {
      if (!isAppError(e) || e.code !== 'AUTH.SESSION_INVALID') throw e;
      await this.signIn(this.#assurance());
      return this.#resolve();
    }
  }

  #assurance(): Assurance {
    return this.staff ? 'mfa' : 'password';
  }

  async #resolve(): Promise<Reader> {
    const s = await resolveSession(this.env.access, this.#token ?? '', this.source);
    return {
      accountId: s.accountId,
      role: s.role,
      organisationId: s.organisationId,
      organisationKind: s.organisationKind,
      personId: s.personId,
      sessionRef: s.sessionRef,
      sourceIp: this.source.ip,
      requestId: this.env.nextRequestId(this.requestPrefix),
      assurance: s.assurance,
      mfaAt: s.mfaAt,
    };
  }

  /** Tells detection a lookup found nobody (what the HTTP layer reports on a 404). */
  reportMiss(reader: Reader): void {
    this.env.defence.recordLookupMiss?.(reader);
  }

  /** Proves a second factor (legitimate users only): a fresh MFA session, the old token revoked. */
  async stepUp(): Promise<void> {
    const { db } = this.env.store;
    const now = this.env.clock.now();
    const old = this.#token;
    await this.signIn('mfa');
    if (old !== null)
      await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('id_hash', '=', hashToken(old))
        .where('revoked_at', 'is', null)
        .execute();
    await recordSecurityEvent(db, {
      at: now,
      kind: 'mfa.step_up',
      accountId: this.accountId,
      sourceIp: this.source.ip,
    });
  }
}
