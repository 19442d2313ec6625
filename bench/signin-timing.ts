/**
 * `npm run bench:signin-timing -- [tries=400]`: does the time of a failed sign-in tell a known login
 * from an unknown one, or a right password from a wrong one (issue 9, items 2 and 4)? Serves the
 * real app on loopback (SQLite in a temporary directory; trustProxy on, for this bench only, so
 * that every try comes from its own address and no throttle answers), then times, interleaved in a
 * random order, `tries` sign-ins of each pair:
 *   staff ........ known e-mail, wrong password      vs  unknown e-mail            (both 401)
 *   seeker ....... known identifier, wrong password  vs  unknown identifier        (both 200 device_code)
 *   password ..... job seeker, right password        vs  same, wrong password      (both 200 device_code)
 * Prints one JSON object: per pair, the medians (ms), their difference, and the Mann-Whitney z of
 * the two samples (|z| < 2: no difference an attacker could rely on at this sample size).
 * The per-account lock is kept away by spreading the tries over enough accounts (8 failures each).
 * Run it at full size on a quiet machine only: timings of a loaded machine say little.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobSeekerAccount, createStaffAccount } from '../src/access/accounts.js';
import { loadConfig } from '../src/config/config.js';
import { createGate } from '../src/disclosure/gate.js';
import { systemClock } from '../src/domain/clock.js';
import { buildApp } from '../src/http/app.js';
import { openStore } from '../src/storage/database.js';
import { insertRaisedAlert } from '../src/detect/alerts.js';
import { insertJobSeekers, sampleJobSeeker } from '../src/test-support/people.js';
import { keyringFromDocument, newKeyDocument } from '../src/vault/keyring.js';

const PASSWORD = 'la bonne phrase de passe du banc';
const FAILURES_PER_ACCOUNT = 8; // under the lock of unknown devices (10)

type Try = { readonly pair: string; readonly side: 'a' | 'b'; readonly login: string; readonly password: string };

/** Mann-Whitney U as a z score (normal approximation, ties given their mean rank). */
export function mannWhitneyZ(a: readonly number[], b: readonly number[]): number {
  const all = [...a.map((v) => ({ v, a: true })), ...b.map((v) => ({ v, a: false }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (all[k]!.a) rankSumA += rank;
    i = j + 1;
  }
  const [n1, n2] = [a.length, b.length];
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  return (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

async function main(): Promise<void> {
  const tries = Math.max(10, Number(process.argv[2] ?? 400));
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-timing-'));
  const store = openStore(join(dir, 'vigie.db'));
  await store.migrate();
  const keys = keyringFromDocument(newKeyDocument());
  const config = loadConfig({}, { dataDir: dir, logLevel: 'silent', cookieSecure: false, trustProxy: true });
  const access = { db: store.db, keys, clock: systemClock, session: config.session, alerts: insertRaisedAlert };
  const now = Date.now();
  const org = async (kind: 'cap_emploi' | 'agency') => {
    const id = randomUUID();
    const row = {
      id,
      kind,
      name: `Banc ${kind}`,
      siret: null,
      departement: '75',
      parent_agency_id: null,
      channel_suspended_at: null,
      created_at: now,
    };
    await store.db.insertInto('organisations').values(row).execute();
    return id;
  };
  const [partner, agency] = [await org('cap_emploi'), await org('agency')];
  const accounts = Math.ceil(tries / FAILURES_PER_ACCOUNT);
  process.stderr.write(`Comptes du banc : ${accounts * 3}…\n`);
  const staff: string[] = [];
  const seekers: string[] = [];
  const rightSeekers: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const email = `banc${i}@cap-emploi.fr`;
    await createStaffAccount(access, 'system', {
      organisationId: partner,
      role: 'partner_adviser',
      email,
      displayName: `Banc ${i}`,
      password: PASSWORD,
    });
    staff.push(email);
    for (const list of [seekers, rightSeekers]) {
      const person = sampleJobSeeker(agency);
      await insertJobSeekers(store.db, keys, [person], now);
      const identifier = person.sealed.identity.identifier;
      await createJobSeekerAccount(access, { personId: person.id, identifier, password: PASSWORD });
      list.push(identifier);
    }
  }
  const app = buildApp(
    { store, keys, clock: systemClock, gate: createGate({ store, keys, clock: systemClock }) },
    config,
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let n = 0;
  const time = (t: Try): Promise<number> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ login: t.login, password: t.password });
      n++;
      const forwarded = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; // one address per try: no throttle
      const started = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/auth/login',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const pick = (list: readonly string[], i: number) => list[Math.floor(i / FAILURES_PER_ACCOUNT) % list.length]!;
  const plan: Try[] = [];
  for (let i = 0; i < tries; i++) {
    plan.push({ pair: 'staff', side: 'a', login: pick(staff, i), password: 'pas le bon mot de passe' });
    plan.push({ pair: 'staff', side: 'b', login: `inconnu${i}@cap-emploi.fr`, password: 'pas le bon mot de passe' });
    plan.push({ pair: 'seeker', side: 'a', login: pick(seekers, i), password: 'pas le bon mot de passe' });
    plan.push({
      pair: 'seeker',
      side: 'b',
      login: `${String(9_000_000 + i).slice(-7)}Z`,
      password: 'pas le bon mot de passe',
    });
    plan.push({ pair: 'password', side: 'a', login: pick(rightSeekers, i), password: PASSWORD });
    plan.push({ pair: 'password', side: 'b', login: pick(rightSeekers, i), password: 'pas le bon mot de passe' });
  }
  for (let i = 0; i < 30; i++) await time(plan[randomInt(plan.length)]!); // warm-up (JIT, caches, the dummy hash)
  const samples = new Map<string, { a: number[]; b: number[] }>();
  for (const t of shuffle(plan)) {
    const ms = await time(t);
    const s = samples.get(t.pair) ?? { a: [], b: [] };
    s[t.side].push(ms);
    samples.set(t.pair, s);
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const figures: Record<string, unknown> = { tries_per_side: tries };
  for (const [pair, s] of samples)
    figures[pair] = {
      median_a_ms: round(median(s.a)),
      median_b_ms: round(median(s.b)),
      median_diff_ms: round(median(s.a) - median(s.b)),
      mann_whitney_z: Math.round(mannWhitneyZ(s.a, s.b) * 100) / 100,
    };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  agent.destroy();
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
