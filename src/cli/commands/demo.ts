/**
 * `vigie demo`: everything for a local demonstration in one command. Initialises the data
 * directory if needed, seeds a population if the database is empty (20,000 people, seed "demo"),
 * starts the API, and prints its address, its documentation and one login per persona with the
 * demo password of its role. Mail goes to a mailbox printed on the console (demo-mailbox.ts): a job
 * seeker signing in from a new device reads their code there. See demoConfig for the settings.
 */
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import type { DemoLogin } from '../../sim/seed/demo-credentials.js';
import { demoLogins } from '../../sim/seed/demo-credentials.js';
import { buildPlan } from '../../sim/seed/plan.js';
import type { Store } from '../../storage/database.js';
import { DOCS_PREFIX } from '../../http/openapi.js';
import { withStore } from '../app-context.js';
import type { ReceivedMail } from '../demo-mailbox.js';
import { startDemoMailbox } from '../demo-mailbox.js';
import type { ReceivedText } from '../demo-texts.js';
import { startDemoTextSink } from '../demo-texts.js';
import type { CliIo } from '../io.js';
import { readSeedRecord } from '../seed-record.js';
import { configOf, integerAtLeast, positiveInteger, withStoreOptions } from '../store-options.js';
import { initialise } from './init.js';
import type { SeedCommandOptions } from './seed.js';
import { DEFAULT_SEED, DEMO_PEOPLE, seedInto, summary } from './seed.js';
import type { ListenFlags, RunningServer } from './serve.js';
import { listenOverrides, startServer, withListenOptions } from './serve.js';

export interface RunningDemo extends RunningServer {
  /** Empty when the database was not seeded by Vigie (no record of its population). */
  readonly logins: readonly DemoLogin[];
}

const isEmpty = async (store: Store): Promise<boolean> =>
  (await store.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst()) === undefined &&
  (await store.db.selectFrom('people').select('id').limit(1).executeTakeFirst()) === undefined;

/** Seeds an empty database; otherwise finds the logins of the population seeded earlier. */
async function seedIfEmpty(config: Config, io: CliIo, options: SeedCommandOptions): Promise<readonly DemoLogin[]> {
  return withStore(config, async (store) => {
    if (await isEmpty(store)) {
      const report = await seedInto(store, config, io, options);
      for (const line of summary(report)) io.err(line);
      return report.logins;
    }
    const record = readSeedRecord(config);
    if (record) return demoLogins(buildPlan(record.people, record.seed, record.now));
    io.err(
      'La base contient déjà des données qui ne viennent pas de « vigie seed » : aucun compte de démonstration à afficher.',
    );
    return [];
  });
}

export function printDemo(io: CliIo, demo: RunningDemo): void {
  io.out(`Vigie (démonstration) : ${demo.url}`);
  io.out(`Documentation de l’API : ${demo.docsUrl}`);
  if (demo.logins.length > 0) {
    io.out('');
    io.out('Comptes de démonstration (un mot de passe par rôle, valable pour tous les comptes de ce rôle) :');
    for (const l of demo.logins) {
      io.out(`  ${l.persona} — ${l.organisation}`);
      io.out(`    identifiant : ${l.login}    mot de passe : ${l.password}`);
    }
  }
  io.out('');
  io.out(
    `Connexion dans le navigateur : ${demo.url}/connexion (second facteur : clé d’accès ou application d’authentification).`,
  );
  io.out('Connexion par l’API : POST /api/auth/login avec {"login": …, "password": …}.');
  io.out(
    'Les comptes professionnels enregistrent un second facteur à leur première connexion (réponse "next": "enrol") :',
  );
  io.out('  POST /api/auth/enrol/totp donne un secret TOTP ; POST /api/auth/enrol/totp/confirm avec {"code": …}');
  io.out(
    '  (par exemple le code de « oathtool --totp -b <secret> ») ouvre la session ; les suivantes demandent ce code.',
  );
  io.out(
    'Le demandeur d’emploi reçoit un code par courriel sur un nouvel appareil : il s’affiche ci-dessous. Ctrl+C pour arrêter.',
  );
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * The demo's configuration: quiet logs by default, mail to the demo mailbox, and on a loopback
 * address plain-http cookies and a `localhost` origin (passkeys refuse IP addresses).
 */
export function demoConfig(io: CliIo, flags: ListenFlags, smtpUrl: string, smsUrl?: string): Config {
  const overrides = {
    ...listenOverrides(flags),
    logLevel: flags.logLevel ?? 'warn',
    smtpUrl,
    ...(smsUrl !== undefined ? { smsUrl } : {}),
  };
  const config = configOf(io, flags, overrides);
  if (!LOOPBACK.test(config.http.host)) return config;
  const origin = `http://localhost:${config.http.port}`;
  return configOf(io, flags, { ...overrides, cookieSecure: false, publicUrl: origin, webauthnOrigin: origin });
}

function printMail(io: CliIo, mail: ReceivedMail): void {
  io.out(`Courriel de démonstration pour ${mail.to.join(', ')} — ${mail.subject}`);
  for (const line of mail.text.split(/\r?\n/).filter((l) => l.trim() !== '')) io.out(`  │ ${line}`);
}

function printText(io: CliIo, text: ReceivedText): void {
  io.out(`SMS de démonstration pour ${text.to}`);
  io.out(`  │ ${text.text}`);
}

export async function startDemo(io: CliIo, flags: ListenFlags, options: SeedCommandOptions): Promise<RunningDemo> {
  const mailbox = await startDemoMailbox((mail) => printMail(io, mail));
  const texts = await startDemoTextSink((text) => printText(io, text));
  try {
    const config = demoConfig(io, flags, mailbox.url, texts.url);
    await initialise(config, { keysIfMissing: true });
    const logins = await seedIfEmpty(config, io, options);
    const server = await startServer(config);
    const url = LOOPBACK.test(config.http.host)
      ? server.url.replace(/\/\/[^/:]+|\/\/\[[^\]]+\]/, '//localhost')
      : server.url;
    const close = async (): Promise<void> => {
      await server.close();
      await mailbox.close();
      await texts.close();
    };
    return { url, docsUrl: `${url}${DOCS_PREFIX}`, logins, close };
  } catch (e) {
    await mailbox.close();
    await texts.close();
    throw e;
  }
}

export async function demoCommand(io: CliIo, flags: DemoFlags): Promise<void> {
  const demo = await startDemo(io, flags, flags);
  printDemo(io, demo);
  await io.untilShutdown();
  io.err('Arrêt en cours…');
  await demo.close();
}

export interface DemoFlags extends ListenFlags {
  readonly people: number;
  readonly seed: string;
  readonly workers?: number;
}

export function registerDemo(program: Command, io: CliIo): void {
  withListenOptions(
    withStoreOptions(
      program.command('demo').description('initialise, installe une population si la base est vide, et démarre l’API'),
    ),
  )
    .option(
      '--people <nombre>',
      'taille de la population installée si la base est vide',
      positiveInteger('--people'),
      DEMO_PEOPLE,
    )
    .option('--seed <graine>', 'graine de la population', DEFAULT_SEED)
    .option(
      '--workers <nombre>',
      'fils de chiffrement, 0 pour le fil principal (défaut : un par cœur)',
      integerAtLeast('--workers', 0),
    )
    .action(async (flags: DemoFlags) => demoCommand(io, flags));
}
