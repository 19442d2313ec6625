/**
 * Options every command shares (--db, --data-dir) and the configuration they lead to: always
 * through loadConfig, which alone reads the environment.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Config, ConfigOverrides } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { isPostgresUrl } from '../storage/database.js';
import type { CliIo } from './io.js';

export interface StoreOptions {
  readonly db?: string;
  readonly dataDir?: string;
}

export const withStoreOptions = (command: Command): Command =>
  command
    .option(
      '--db <url>',
      'base de données : postgres://… ou fichier SQLite (défaut : <dossier de données>/vigie.db, ou VIGIE_DB)',
    )
    .option('--data-dir <dossier>', 'dossier des données et du fichier de clés (défaut : ./.vigie, ou VIGIE_DATA_DIR)');

export const configOf = (io: CliIo, options: StoreOptions, extra: ConfigOverrides = {}): Config =>
  loadConfig(io.env, { dataDir: options.dataDir, databaseUrl: options.db, ...extra });

/** Parses an integer option of at least `min` (underscores and spaces allowed: 1_000_000), or refuses it in French. */
export const integerAtLeast =
  (what: string, min: number) =>
  (value: string): number => {
    const n = Number(value.replace(/[_\s]/g, ''));
    if (value.trim() === '' || !Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${what} doit être un entier supérieur ou égal à ${min}.`);
    return n;
  };

export const positiveInteger = (what: string) => integerAtLeast(what, 1);

/** A database URL fit to print: a PostgreSQL password is never shown. */
export function describeDatabase(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
