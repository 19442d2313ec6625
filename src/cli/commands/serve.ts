/**
 * `vigie serve`: builds the application context (store, keyring provider on the key file, system
 * clock, gate), starts the HTTP API (src/http buildApp) and prints its address. Stops cleanly at
 * Ctrl+C (SIGINT) or SIGTERM: the listener closes, in-flight requests finish, the store closes.
 */
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import type { Config, ConfigOverrides } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import { buildApp } from '../../http/app.js';
import { DOCS_PREFIX } from '../../http/openapi.js';
import { openAppContext } from '../app-context.js';
import type { CliIo } from '../io.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, integerAtLeast, withStoreOptions } from '../store-options.js';

export interface RunningServer {
  readonly url: string;
  readonly docsUrl: string;
  close(): Promise<void>;
}

const errorCode = (e: unknown): unknown => (e instanceof Error && 'code' in e ? e.code : undefined);

function listenError(e: unknown, config: Config): unknown {
  const where = `${config.http.host}:${config.http.port}`;
  if (errorCode(e) === 'EADDRINUSE')
    return new AppError(
      'SERVE.PORT_IN_USE',
      'unavailable',
      `L’adresse ${where} est déjà utilisée : choisissez un autre port (--port).`,
    );
  if (errorCode(e) === 'EACCES')
    return new AppError(
      'SERVE.PORT_FORBIDDEN',
      'unavailable',
      `Écoute refusée sur ${where} : choisissez un port au-dessus de 1024.`,
    );
  if (errorCode(e) === 'EADDRNOTAVAIL')
    return new AppError(
      'SERVE.HOST_UNAVAILABLE',
      'unavailable',
      `L’adresse ${config.http.host} n’existe pas sur cette machine (--host).`,
    );
  return e;
}

const urlOf = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export async function startServer(config: Config): Promise<RunningServer> {
  const opened = await openAppContext(config);
  const app = buildApp(opened.ctx, config);
  try {
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (e) {
    await app.close();
    await opened.close();
    throw listenError(e, config);
  }
  const url = urlOf(config.http.host, (app.server.address() as AddressInfo).port);
  return {
    url,
    docsUrl: `${url}${DOCS_PREFIX}`,
    close: async () => {
      await app.close();
      await opened.close();
    },
  };
}

export async function serveCommand(config: Config, io: CliIo): Promise<void> {
  const server = await startServer(config);
  io.out(`Vigie écoute sur ${server.url} (documentation de l’API : ${server.docsUrl}). Ctrl+C pour arrêter.`);
  await io.untilShutdown();
  io.err('Arrêt en cours…');
  await server.close();
}

export interface ListenFlags extends StoreOptions {
  readonly host?: string;
  readonly port?: number;
  readonly logLevel?: string;
}

/** --host, --port, --log-level, mapped onto the configuration. */
export const withListenOptions = (command: Command): Command =>
  command
    .option('--host <adresse>', 'adresse d’écoute (défaut : 127.0.0.1, ou VIGIE_HOST)')
    .option('--port <port>', 'port HTTP (défaut : 8080, ou VIGIE_PORT)', integerAtLeast('--port', 1))
    .option('--log-level <niveau>', 'journalisation : fatal, error, warn, info, debug ou silent');

export const listenOverrides = (flags: ListenFlags): ConfigOverrides => ({
  host: flags.host,
  port: flags.port,
  logLevel: flags.logLevel,
});

export function registerServe(program: Command, io: CliIo): void {
  withListenOptions(
    withStoreOptions(program.command('serve').description('démarre l’API HTTP (met d’abord la base à jour si besoin)')),
  ).action(async (flags: ListenFlags) => serveCommand(configOf(io, flags, listenOverrides(flags)), io));
}
