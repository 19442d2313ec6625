/**
 * Dormant accounts: a staff or service account unused for 90 days is disabled (an account nobody
 * watches is an account nobody misses when it is taken over). "Used" is the last sign-in, or the
 * last token issued to a machine client; an account never used counts from its creation.
 *
 * Job seekers' own accounts are left alone: their account is how they reach their own file and
 * rights, sometimes after months without work to look for; disabling it would send them to the phone
 * help desk, the channel the 2024 attacker used. Their exposure is their own file only.
 *
 * Scheduling: `disableDormantAccounts(ctx, now)` is idempotent and cheap (one indexed scan). A
 * long-lived process runs it once a day through `scheduleLifecycleJobs` / `startIdentityJobs`
 * (lifecycle-jobs.ts; first run one minute after start); a cron job or systemd timer may call the
 * same function through the CLI instead. Several API nodes running it at once disable each account
 * once (the status update is guarded).
 */
import type { Db } from '../storage/database.js';
import { UNKNOWN_SOURCE } from './access-deps.js';
import { disableInTx } from './lifecycle.js';

export const DORMANT_AFTER_MS = 90 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** What the job needs: an AppContext fits. */
export interface LifecycleJobContext {
  readonly store: { readonly db: Db };
}

/** Disables every live staff account unused since `now - 90 days`; returns their ids. */
export async function disableDormantAccounts(ctx: LifecycleJobContext, now: number): Promise<string[]> {
  const db = ctx.store.db;
  const cutoff = now - DORMANT_AFTER_MS;
  const dormant = await db
    .selectFrom('accounts')
    .select(['id', 'last_login_at', 'created_at'])
    .where('organisation_id', 'is not', null)
    .where('status', 'in', ['active', 'probation'])
    .where((eb) => eb(eb.fn.coalesce('last_login_at', 'created_at'), '<', cutoff))
    .execute();
  const disabled: string[] = [];
  for (const row of dormant) {
    const done = await db.transaction().execute(async (tx) => {
      const claimed = await tx
        .updateTable('accounts')
        .set({ status: 'disabled' })
        .where('id', '=', row.id)
        .where('status', 'in', ['active', 'probation'])
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      await disableInTx(tx, row.id, null, 'dormant', now, UNKNOWN_SOURCE);
      return true;
    });
    if (done) disabled.push(row.id);
  }
  await purgeExpired(db, now);
  return disabled;
}

/** Housekeeping of the identity tables: expired reset links, OIDC sign-ins, trusted devices, machine tokens. */
async function purgeExpired(db: Db, now: number): Promise<void> {
  const old = now - 30 * DAY_MS;
  await db.deleteFrom('reset_tokens').where('expires_at', '<', old).execute();
  await db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
  await db.deleteFrom('trusted_devices').where('expires_at', '<', now).execute();
  await db.deleteFrom('machine_tokens').where('expires_at', '<', old).execute();
}

/**
 * Runs the daily identity jobs inside a long-lived process (`serve`); returns a stop function.
 * `onError` receives failures (the caller logs them; a failed run is retried the next day).
 */
export function scheduleLifecycleJobs(
  ctx: LifecycleJobContext & { readonly clock: { now(): number } },
  onError: (e: unknown) => void,
  everyMs = DAY_MS,
): () => void {
  const run = () => void disableDormantAccounts(ctx, ctx.clock.now()).catch(onError);
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
