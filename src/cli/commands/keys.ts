/**
 * `vigie keys init` creates the key file alone; `vigie keys rotate` adds master key version n+1 to
 * it (made current at once) and re-wraps every person's data key under it, in short batches, while
 * the service may keep running (its keyring provider re-reads the file on an unknown version).
 * An interrupted rotation resumes with `--resume`: rows already at the current version are skipped.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import type { RotationReport } from '../../services/rotate-keys.js';
import { DEFAULT_ROTATION_BATCH, rewrapDataKeys } from '../../services/rotate-keys.js';
import { addMasterKeyVersion, generateKeyFile } from '../../vault/key-file.js';
import { openKeyringProvider } from '../../vault/keyring-provider.js';
import { withStore } from '../app-context.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, positiveInteger, withStoreOptions } from '../store-options.js';

const number = new Intl.NumberFormat('fr-FR');

function keyFileOf(config: Config, action: string): string {
  if ('file' in config.keys) return config.keys.file;
  throw new AppError(
    'KEYS.FILE_REQUIRED',
    'invalid',
    `${action} s’applique à un fichier de clés ; les clés viennent ici de VIGIE_KEYS, à modifier par son gestionnaire de secrets.`,
  );
}

export function keysInitCommand(config: Config, io: CliIo): string {
  const file = keyFileOf(config, 'La création des clés');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  generateKeyFile(file);
  io.out(`Fichier de clés créé : ${file} (lisible par son seul propriétaire ; à sauvegarder à part de la base).`);
  return file;
}

export interface RotateOptions {
  readonly resume?: boolean;
  readonly batch?: number;
}

export async function rotateKeysCommand(
  config: Config,
  io: CliIo,
  options: RotateOptions = {},
): Promise<RotationReport> {
  const file = keyFileOf(config, 'La rotation');
  if (!options.resume)
    io.out(`Clé maîtresse version ${addMasterKeyVersion(file).current} ajoutée au fichier de clés et rendue courante.`);
  const keys = openKeyringProvider({ file, refreshMs: 0 });
  const bar = new ProgressBar(io, 'Re-chiffrement des clés de données');
  const report = await withStore(config, (store) =>
    rewrapDataKeys(
      { db: store.db, keys },
      { batchSize: options.batch ?? DEFAULT_ROTATION_BATCH, onProgress: (p) => bar.update(p.done, p.total) },
    ),
  ).finally(() => bar.finish());
  const n = (v: number): string => number.format(v);
  io.out(
    `Rotation terminée : ${n(report.rewrapped)} clés de données re-chiffrées sous la version ${report.version} ` +
      `(déjà à jour : ${n(report.alreadyCurrent)}, modifiées ou effacées entre-temps : ${n(report.skipped)}, illisibles : ${n(report.failed)}).`,
  );
  io.out(
    'Les services en marche adoptent la nouvelle version à leur prochaine relecture du fichier de clés (au plus une minute) : relancez « vigie keys rotate --resume » ensuite pour les dossiers créés entre-temps.',
  );
  if (report.failed > 0) {
    throw new AppError(
      'KEYS.ROTATION_INCOMPLETE',
      'internal',
      `${n(report.failed)} clés de données n’ont pas pu être ouvertes : ne retirez pas les anciennes versions avant d’avoir examiné ces dossiers.`,
    );
  }
  return report;
}

export function registerKeys(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('clés de chiffrement');
  withStoreOptions(keys.command('init').description('crée le fichier de clés (refuse d’en écraser un)')).action(
    (flags: StoreOptions) => void keysInitCommand(configOf(io, flags), io),
  );
  withStoreOptions(
    keys
      .command('rotate')
      .description('ajoute une version de clé maîtresse et y re-chiffre les clés de données, service en marche'),
  )
    .option('--resume', 'reprend une rotation interrompue, sans ajouter de version')
    .option(
      '--batch <nombre>',
      `lignes par transaction (défaut : ${DEFAULT_ROTATION_BATCH})`,
      positiveInteger('--batch'),
    )
    .action(
      async (flags: RotateOptions & StoreOptions) => void (await rotateKeysCommand(configOf(io, flags), io, flags)),
    );
}
