/**
 * `npm run bench:signin`: can legitimate users still sign in while 1,000 failed sign-ins a second
 * hammer the server? Builds a fresh SQLite store with 2,000 target accounts and a few legitimate
 * ones, serves the real app on loopback (trustProxy on, for this bench only: the load generator
 * spreads its attempts over many addresses with X-Forwarded-For), then runs two separate processes:
 * an open-loop attacker (wrong passwords on real and unknown logins, from addresses in 256 /24s)
 * and closed-loop legitimate users (right password, from their own clean addresses).
 * Prints {"failed_per_s":…,"legit_p99_ms":…,"legit_success_rate":…} and details.
 *
 *   npm run bench:signin -- [rate=1000] [seconds=20]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rehashPassword } from '../src/access/passwords.js';
import { loadConfig } from '../src/config/config.js';
import { createGate } from '../src/disclosure/gate.js';
import { systemClock } from '../src/domain/clock.js';
import { buildApp } from '../src/http/app.js';
import type { RouteModule } from '../src/http/route.js';
import { ROUTE_MODULES } from '../src/http/routes/index.js';
import { signInThrottleOf } from '../src/http/throttle.js';
import { openStore } from '../src/storage/database.js';
import type { Store } from '../src/storage/database.js';
import { blindIndex } from '../src/vault/index.js';
import { keyringFromDocument, newKeyDocument } from '../src/vault/keyring.js';
import type { Keyring } from '../src/vault/keyring.js';

const TARGETS = 2_000;
const LEGIT_USERS = 4;
const LEGIT_PASSWORD = 'la bonne phrase de passe du banc';
const NETWORKS = 256;

interface Figures {
  readonly [key: string]: unknown;
}

async function insertAccounts(
  store: Store,
  keys: Keyring,
  organisationId: string,
  logins: readonly string[],
  hash: string,
): Promise<void> {
  const now = Date.now();
  const rows = logins.map((email) => ({
    id: randomUUID(),
    organisation_id: organisationId,
    person_id: null,
    role: 'partner_adviser',
    login_index: blindIndex(keys, 'login', email),
    display_name: email,
    email,
    password_hash: hash,
    status: 'active',
    created_by: null,
    approved_by: null,
    created_at: now,
    last_login_at: now,
    failed_logins: 0,
    locked_until: null,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await store.db
      .insertInto('accounts')
      .values(rows.slice(i, i + 500))
      .execute();
}

function run(script: string, input: object): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Figures) : reject(new Error(`load generator exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify(input));
  });
}

async function main(): Promise<void> {
  const [rate = 1000, seconds = 20] = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-signin-'));
  const store = openStore(join(dir, 'vigie.db'));
  await store.migrate();
  const keys = keyringFromDocument(newKeyDocument());
  const config = loadConfig({}, { dataDir: dir, logLevel: 'silent', cookieSecure: false, trustProxy: true });
  const organisationId = randomUUID();
  await store.db
    .insertInto('organisations')
    .values({
      id: organisationId,
      kind: 'cap_emploi',
      name: 'Cap emploi du banc',
      siret: null,
      departement: '75',
      parent_agency_id: null,
      channel_suspended_at: null,
      created_at: Date.now(),
    })
    .execute();
  const targets = Array.from({ length: TARGETS }, (_, i) => `cible${i}@cap-emploi.fr`);
  const legit = Array.from({ length: LEGIT_USERS }, (_, i) => ({
    login: `legitime${i}@cap-emploi.fr`,
    password: LEGIT_PASSWORD,
  }));
  await insertAccounts(store, keys, organisationId, targets, await rehashPassword(`${randomUUID()}-inconnu`));
  await insertAccounts(
    store,
    keys,
    organisationId,
    legit.map((u) => u.login),
    await rehashPassword(LEGIT_PASSWORD),
  );

  const stats: RouteModule = (api, deps) => void api.get('/bench/stats', async () => signInThrottleOf(deps).stats);
  const app = buildApp(
    { store, keys, clock: systemClock, gate: createGate({ store, keys, clock: systemClock }) },
    config,
    { routes: [...ROUTE_MODULES, stats] },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const timing = { warmupMs: 5_000, durationMs: seconds * 1000 };
  const load = join(process.cwd(), 'bench', 'signin-load.mjs');
  const [attack, users] = await Promise.all([
    run(load, { mode: 'attack', origin, rate, logins: targets, networks: NETWORKS, ...timing }),
    run(load, { mode: 'legit', origin, users: legit, thinkMs: 1_000, ...timing }),
  ]);
  const queue = (await app.inject({ method: 'GET', url: '/bench/stats' })).json() as unknown;
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const result = {
    failed_per_s: Math.round(Number(attack['failed_per_s'])),
    legit_p99_ms: Math.round(Number(users['p99_ms'])),
    legit_success_rate: users['success_rate'],
    legit_p50_ms: Math.round(Number(users['p50_ms'])),
    legit_attempts: users['attempts'],
    legit_codes: users['codes'],
    attack,
    queue,
  };
  console.log(JSON.stringify(result));
}

await main();
