/**
 * Sign-in throttling per source. Failed sign-ins are counted per address and per network (/24 for
 * IPv4, /64 for IPv6) over a sliding 15-minute window; beyond the address or network threshold every
 * attempt is answered 429 AUTH.TOO_MANY_ATTEMPTS with Retry-After *before* any account lookup or
 * argon2 work, and whatever the login (the answer says nothing about accounts). Below the threshold,
 * an address with recent failures still gets the lowest priority for a verification slot.
 *
 * This complements the per-account lockout (10 failures, accounts.ts): stuffing from few networks
 * is stopped by the address/network counters long before it locks anyone out; stuffing from many
 * networks hits the lockout and the verification queue, which keeps room for legitimate sign-ins.
 */
import { AppError } from '../domain/errors.js';
import type { RequestSource } from './access-deps.js';
import type { Priority, QueueStats } from './throttle-queue.js';
import { VerificationQueue } from './throttle-queue.js';
import { addressOf, networkOf } from './throttle-network.js';
import type { SharedFailureCounts } from './throttle-shared.js';
import { SlidingWindow } from './throttle-window.js';

export interface ThrottleOptions {
  readonly addressFailureLimit: number;
  readonly networkFailureLimit: number;
  readonly windowMs: number;
  readonly argon2Concurrency: number;
  readonly queueLimit: number;
}

export const tooManyAttempts = (retryAfterSeconds: number): AppError =>
  new AppError('AUTH.TOO_MANY_ATTEMPTS', 'too_many', 'Trop de tentatives de connexion : réessayez plus tard.', {
    retryAfterSeconds,
  });

/** Load shedding of the verification queue: retry soon. One instance: a flood of sheds costs no stack traces. */
const BUSY = tooManyAttempts(5);
const busy = (): AppError => BUSY;

/** What crossing a threshold looks like, for the security log (once per crossing, not per attempt). */
export interface Crossing {
  readonly scope: 'address' | 'network';
  readonly key: string;
  readonly failures: number;
}

const UNKNOWN = 'unknown';

/** Retry-After when other processes' failures tripped the limit (their exact window is not known here). */
const SHARED_RETRY_MS = 60_000;

/** Beyond these attempts in the window (failed or not, answered or shed), a source ranks as failed-looking. */
const ADDRESS_ATTEMPTS_CLEAN = 3;
const NETWORK_ATTEMPTS_CLEAN = 10;

export class SignInThrottle {
  private readonly addresses: SlidingWindow;
  private readonly networks: SlidingWindow;
  private readonly addressAttempts: SlidingWindow;
  private readonly networkAttempts: SlidingWindow;
  private readonly queue: VerificationQueue;

  /** `shared`: failures counted across processes (Redis); the throttle keeps the larger of both counts. */
  constructor(
    private readonly options: ThrottleOptions,
    private readonly shared: SharedFailureCounts | null = null,
  ) {
    this.addresses = new SlidingWindow(options.windowMs);
    this.networks = new SlidingWindow(options.windowMs);
    this.addressAttempts = new SlidingWindow(options.windowMs);
    this.networkAttempts = new SlidingWindow(options.windowMs);
    this.queue = new VerificationQueue({
      concurrency: options.argon2Concurrency,
      queueLimit: options.queueLimit,
      maxWaitMs: [10_000, 10_000, 500],
      busy,
    });
  }

  /** Throws AUTH.TOO_MANY_ATTEMPTS (429, Retry-After) if the source is over its address or network threshold. */
  admit(source: RequestSource, now: number): void {
    const { address, network } = keysOf(source);
    const o = this.options;
    const waits: number[] = [];
    if (this.addresses.count(address, now) >= o.addressFailureLimit)
      waits.push(this.addresses.retryAfterMs(address, o.addressFailureLimit, now));
    else if (this.sharedCount(`a:${address}`, now) >= o.addressFailureLimit) waits.push(SHARED_RETRY_MS);
    if (this.networks.count(network, now) >= o.networkFailureLimit)
      waits.push(this.networks.retryAfterMs(network, o.networkFailureLimit, now));
    else if (this.sharedCount(`n:${network}`, now) >= o.networkFailureLimit) waits.push(SHARED_RETRY_MS);
    if (waits.length > 0) throw tooManyAttempts(Math.ceil(Math.max(...waits) / 1000));
  }

  /** Counts a sign-in attempt of this source (whatever its outcome): ranking only, never a refusal. */
  noteAttempt(source: RequestSource, now: number): void {
    const { address, network } = keysOf(source);
    this.addressAttempts.add(address, now);
    this.networkAttempts.add(network, now);
  }

  /**
   * 1 for a source without recent failures nor a burst of attempts, 2 otherwise (0 is for trusted
   * devices, decided by the caller). Shed or throttled attempts are not failures (a legitimate user
   * shed once must not be demoted for good), but they count as attempts.
   */
  priorityOf(source: RequestSource, now: number): Priority {
    return this.rankOf(keysOf(source), now);
  }

  /** The rank of a source as the queue re-reads it while it waits (its keys computed once). */
  rankerFor(source: RequestSource, clock: { now(): number }): () => Priority {
    const keys = keysOf(source);
    return () => this.rankOf(keys, clock.now());
  }

  private rankOf({ address, network }: SourceKeys, now: number): Priority {
    const failed = this.addresses.count(address, now) >= 1 || this.networks.count(network, now) >= 1;
    const busy =
      this.addressAttempts.count(address, now) > ADDRESS_ATTEMPTS_CLEAN ||
      this.networkAttempts.count(network, now) > NETWORK_ATTEMPTS_CLEAN;
    return failed || busy ? 2 : 1;
  }

  private sharedCount(key: string, now: number): number {
    return this.shared?.count(key, now) ?? 0;
  }

  /** Counts a failed sign-in of this source; returns the thresholds it just crossed (in this process). */
  recordFailure(source: RequestSource, now: number): Crossing[] {
    const { address, network } = keysOf(source);
    this.shared?.add(`a:${address}`, now);
    this.shared?.add(`n:${network}`, now);
    const crossed: Crossing[] = [];
    const a = this.addresses.add(address, now);
    if (a >= this.options.addressFailureLimit && a - 1 < this.options.addressFailureLimit)
      crossed.push({ scope: 'address', key: address, failures: Math.round(a) });
    const n = this.networks.add(network, now);
    if (n >= this.options.networkFailureLimit && n - 1 < this.options.networkFailureLimit)
      crossed.push({ scope: 'network', key: network, failures: Math.round(n) });
    return crossed;
  }

  /** Runs a password verification in the bounded queue (AUTH.TOO_MANY_ATTEMPTS if shed); the rank may be re-read while waiting. */
  verify<T>(priority: Priority | (() => Priority), task: () => Promise<T>): Promise<T> {
    return this.queue.run(priority, task);
  }

  /** Ends the shared counters' connection, if any. */
  async close(): Promise<void> {
    await this.shared?.close();
  }

  get stats(): QueueStats & { readonly addresses: number; readonly networks: number } {
    return { ...this.queue.stats, addresses: this.addresses.size, networks: this.networks.size };
  }
}

interface SourceKeys {
  readonly address: string;
  readonly network: string;
}

function keysOf(source: RequestSource): SourceKeys {
  return { address: addressOf(source.ip) ?? UNKNOWN, network: networkOf(source.ip, 64) ?? UNKNOWN };
}
