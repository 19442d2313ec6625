/**
 * `vigie init`: creates the data directory, the key file (mode 0600, through the vault, never over
 * an existing one) and migrates the database. `vigie demo` uses `initialise` with `keysIfMissing`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { generateKeyFile } from '../../vault/key-file.js';
import { withStore } from '../app-context.js';
import type { CliIo } from '../io.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, describeDatabase, withStoreOptions } from '../store-options.js';

export interface Initialised {
  /** The key file created, or null (it existed, or the keys come from VIGIE_KEYS). */
  readonly keyFileCreated: string | null;
}

export async function initialise(config: Config, options: { keysIfMissing: boolean }): Promise<Initialised> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let keyFileCreated: string | null = null;
  if ('file' in config.keys && !(options.keysIfMissing && existsSync(config.keys.file))) {
    mkdirSync(dirname(config.keys.file), { recursive: true, mode: 0o700 });
    generateKeyFile(config.keys.file);
    keyFileCreated = config.keys.file;
  }
  await withStore(config, async () => undefined);
  return { keyFileCreated };
}

export async function initCommand(config: Config, io: CliIo): Promise<Initialised> {
  const done = await initialise(config, { keysIfMissing: false });
  io.out(`Dossier de données : ${config.dataDir}`);
  io.out(
    done.keyFileCreated === null
      ? 'Clés de chiffrement : fournies par VIGIE_KEYS (aucun fichier créé).'
      : `Fichier de clés créé : ${done.keyFileCreated} (lisible par son seul propriétaire ; à sauvegarder à part de la base).`,
  );
  io.out(`Base de données à jour : ${describeDatabase(config.databaseUrl)}`);
  return done;
}

export function registerInit(program: Command, io: CliIo): void {
  withStoreOptions(
    program.command('init').description('crée le dossier de données et le fichier de clés, et met la base à jour'),
  ).action(async (options: StoreOptions) => void (await initCommand(configOf(io, options), io)));
}
