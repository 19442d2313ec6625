/**
 * The disclosure log's tree heads, wired to the vault: heads are MACed under the 'log-head' service
 * key (derived from the key file, which a database copy does not hold). `startLogHeadJob` extends
 * the tree every minute while Vigie serves; `vigie audit verify` checks the whole log.
 */
import { advanceLogHead, verifyLog } from '../audit/log-heads.js';
import type { LogHead, LogHeadDeps, LogVerification } from '../audit/log-heads.js';
import { repeatEvery } from '../domain/periodic.js';
import type { Store } from '../storage/database.js';
import type { KeyringSource } from '../vault/keyring.js';
import { serviceHash } from '../vault/service-keys.js';

export interface LogHeadContext {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: { now(): number };
}

export const logHeadDeps = (ctx: LogHeadContext): LogHeadDeps => ({
  db: ctx.store.db,
  clock: ctx.clock,
  dialect: ctx.store.dialect,
  mac: (message) => serviceHash(ctx.keys, 'log-head', 'tree-head', message),
});

export const advanceDisclosureLogHead = (ctx: LogHeadContext): Promise<LogHead | null> =>
  advanceLogHead(logHeadDeps(ctx));

export const verifyDisclosureLog = (ctx: LogHeadContext): Promise<LogVerification> => verifyLog(logHeadDeps(ctx));

export const LOG_HEAD_PERIOD_MS = 60_000;

/** Extends the tree every `periodMs`; returns the function that stops it. Failures go to `onError` and the next run retries. */
export function startLogHeadJob(
  ctx: LogHeadContext,
  onError: (error: unknown) => void,
  periodMs = LOG_HEAD_PERIOD_MS,
): () => void {
  return repeatEvery(() => advanceDisclosureLogHead(ctx), periodMs, onError);
}
