/**
 * The identity jobs a long-lived process runs, in one call for `vigie serve`:
 *   - every day, accounts unused for 90 days are disabled (lifecycle-dormant.ts), expired links,
 *     OIDC sign-ins, trusted devices and machine tokens purged;
 *   - every 5 seconds, new security events are appended to the SIEM file (security-events-siem.ts).
 * Both are idempotent and safe on several API nodes at once (the SIEM file should then be one per
 * node, or written by one node only: set VIGIE_SIEM_FILE per node).
 */
import type { Config } from '../config/config.js';
import type { Db } from '../storage/database.js';
import { scheduleLifecycleJobs } from './lifecycle-dormant.js';
import { scheduleSiemExport } from './security-events-siem.js';

export interface JobContext {
  readonly store: { readonly db: Db };
  readonly clock: { now(): number };
}

/** Starts the jobs; returns the function that stops them. `onError` logs a failed run (the next run retries). */
export function startIdentityJobs(
  ctx: JobContext,
  config: Config,
  onError: (job: 'dormant' | 'siem', e: unknown) => void,
): () => void {
  const stopDormant = scheduleLifecycleJobs(ctx, (e) => onError('dormant', e));
  const stopSiem = scheduleSiemExport(ctx.store.db, config.identity.siemFile, ctx.clock, (e) => onError('siem', e));
  return () => {
    stopDormant();
    stopSiem();
  };
}
