/**
 * The application context the CLI builds for `serve` and the commands that use storage and keys:
 * the store, a keyring provider following the key file (it reloads on an unknown version, so a
 * `vigie keys rotate` run elsewhere never interrupts reads), the system clock, and the gate.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config/config.js';
import { startIdentityJobs } from '../access/lifecycle-jobs.js';
import { createDetection } from '../detect/detection.js';
import { systemClock } from '../domain/clock.js';
import { createGate } from '../disclosure/gate.js';
import { startLogHeadJob } from '../services/log-heads.js';
import type { AppContext } from '../services/context.js';
import { openStore } from '../storage/database.js';
import type { Store } from '../storage/database.js';
import { keyringSource } from '../vault/keyring-provider.js';
import type { KeyringSource } from '../vault/keyring.js';

/** Opens the configured database and brings it to the latest migration (idempotent). */
export async function openMigratedStore(config: Config): Promise<Store> {
  const store = openStore(config.databaseUrl, { sqliteSync: config.sqliteSync });
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** Runs `work` with a migrated store, and closes it whatever happens. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openMigratedStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The configured keys: a provider following the key file, or the static keyring of VIGIE_KEYS. */
export const keysOf = (config: Config): KeyringSource => keyringSource(config.keys);

export interface OpenedContext {
  readonly ctx: AppContext;
  close(): Promise<void>;
}

/**
 * The served context: the gate's budget step is the detection engine (exposure budgets, signals,
 * canaries, graded containment), with its alerts as ECS lines in the configured file, to the
 * webhook if any, and its counters in Redis when configured.
 */
export async function openAppContext(config: Config): Promise<OpenedContext> {
  const keys = keysOf(config); // fails fast (VAULT.KEYS_MISSING) before touching the database
  const store = await openMigratedStore(config);
  const clock = systemClock;
  mkdirSync(dirname(config.detection.alertFile), { recursive: true });
  const siem = createWriteStream(config.detection.alertFile, { flags: 'a', mode: 0o600 });
  const detection = createDetection({
    store,
    clock,
    redis: config.detection.redis,
    webhook: config.detection.webhook,
    siem,
    refreshMs: config.detection.refreshMs,
  });
  await detection.recomputeBaselines();
  detection.start();
  const gate = createGate({ store, keys, clock, budget: detection.hook });
  // Dormant accounts disabled daily; security events exported as JSON lines for the SIEM.
  const stopJobs = startIdentityJobs({ store, clock }, config, (job) =>
    console.error(`Vigie : la tâche périodique « ${job} » a échoué ; elle sera relancée.`),
  );
  // The disclosure log's Merkle tree extended every minute (tamper evidence; `vigie audit verify`).
  const stopHeads = startLogHeadJob({ store, keys, clock }, () =>
    console.error('Vigie : la tâche périodique « têtes d’arbre du journal » a échoué ; elle sera relancée.'),
  );
  const close = async (): Promise<void> => {
    stopJobs();
    stopHeads();
    await detection.close();
    await new Promise<void>((resolve) => siem.end(resolve));
    await store.close();
  };
  return { ctx: { store, keys, clock, gate, detection }, close };
}
