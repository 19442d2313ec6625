/**
 * What `vigie seed` remembers in the data directory: the parameters of the population it wrote
 * (people, seed, now), so that `vigie demo` can show the demo logins again later by planning the
 * same population. Nothing personal: the job seeker's login is recomputed, never stored.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { describeDatabase } from './store-options.js';

export interface SeedRecord {
  readonly database: string;
  readonly people: number;
  readonly seed: string;
  readonly now: number;
}

const fileOf = (config: Config): string => join(config.dataDir, 'demo-seed.json');

export function writeSeedRecord(config: Config, record: Omit<SeedRecord, 'database'>): void {
  const full: SeedRecord = { database: describeDatabase(config.databaseUrl), ...record };
  writeFileSync(fileOf(config), `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
}

const isRecord = (v: unknown): v is SeedRecord =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as SeedRecord).people === 'number' &&
  typeof (v as SeedRecord).seed === 'string' &&
  typeof (v as SeedRecord).now === 'number';

/** The record of the population seeded into this configuration's database, if any. */
export function readSeedRecord(config: Config): SeedRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(fileOf(config), 'utf8'));
    return isRecord(parsed) && parsed.database === describeDatabase(config.databaseUrl) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
