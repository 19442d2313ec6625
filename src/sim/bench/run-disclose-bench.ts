/**
 * `vigie bench disclose`: seeds a fresh SQLite store (default 100,000 people), then measures
 * - gated: one trainee's file through the whole gate in-process (policy, presenter, budget step,
 *   decrypt, record), with `concurrency` requests in flight (the HTTP server's situation);
 * - bare: the minimum the invariant needs without Vigie's logic (see disclose-bench.ts);
 * - HTTP: GET /api/training/trainees/:id over loopback from a separate load-generator process.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSession } from '../../access/sessions.js';
import { getAccount } from '../../access/accounts.js';
import { loadConfig } from '../../config/config.js';
import type { Config } from '../../config/config.js';
import { sql } from 'kysely';
import { createGate } from '../../disclosure/gate.js';
import { AppError } from '../../domain/errors.js';
import type { Reader } from '../../disclosure/reader.js';
import type { BudgetHook } from '../../detect/budget.js';
import { parisDate, systemClock } from '../../domain/clock.js';
import { buildApp } from '../../http/app.js';
import { openStore, removeSqliteFiles, sqliteFileOf } from '../../storage/database.js';
import type { Store } from '../../storage/database.js';
import { generateKeyFile } from '../../vault/key-file.js';
import { keyringSource } from '../../vault/keyring-provider.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { sealingWorkersAvailable } from '../seed/chunk-source.js';
import { seedPopulation } from '../seed/seed-population.js';
import type { SeedProgress } from '../seed/seed-population.js';
import { bareGrouped, barePostgres, bareSqlite, gatedOp, throughput } from './disclose-bench.js';
import type { TraineeRead } from './disclose-bench.js';
import { insertRaisedAlert } from '../../detect/alerts.js';

export interface DiscloseBenchOptions {
  /** Where to seed the fresh base (see openBenchBase); a temporary SQLite file by default. */
  readonly db?: string;
  readonly people: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly budget?: BudgetHook;
  readonly onProgress?: (p: SeedProgress | { phase: 'measure'; step: string }) => void;
}

export interface DiscloseBenchResult {
  gated_per_s: number;
  bare_per_s: number;
  ratio: number;
  http_req_per_s: number;
  http_p99_ms: number;
  gated_sequential_per_s: number;
  /** CPU time of the whole process (all its threads) per gated read: steadier than a rate on a shared VM. */
  gated_cpu_us_per_read: number;
  bare_grouped_per_s: number;
  http_p50_ms: number;
  http_errors: number;
  people: number;
  concurrency: number;
}

const BENCH_UA = 'vigie-bench/1';

/** The trainer with the most visible trainees, and those trainees. */
async function traineeReads(store: Store): Promise<TraineeRead[]> {
  const today = parisDate(Date.now());
  const rows = await store.db
    .selectFrom('enrolments as e')
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.organisation_id', '=', 'e.organisation_id').on('a.role', '=', 'trainer'),
    )
    .select(['a.id as accountId', 'e.organisation_id as organisationId', 'e.person_id as personId'])
    .where('e.status', '<>', 'cancelled')
    .where((w) => w.or([w('e.visible_until', 'is', null), w('e.visible_until', '>=', today)]))
    .execute();
  const byTrainer = new Map<string, typeof rows>();
  for (const r of rows) byTrainer.set(r.accountId, [...(byTrainer.get(r.accountId) ?? []), r]);
  const best = [...byTrainer.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return best.map((r) => ({ reader: traineeReader(r.accountId, r.organisationId), personId: r.personId }));
}

function traineeReader(accountId: string, organisationId: string): Reader {
  return {
    accountId,
    role: 'trainer',
    organisationId,
    organisationKind: 'training',
    personId: null,
    sessionRef: 'bench',
    sourceIp: '127.0.0.1',
    requestId: '',
    assurance: 'mfa',
    mfaAt: Date.now(),
  };
}

async function sampleRecord(store: Store, gateRead: (i: number) => Promise<unknown>): Promise<Record<string, unknown>> {
  await gateRead(0);
  const { seq: _seq, ...row } = await store.db
    .selectFrom('disclosures')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row;
}

interface HttpFigures {
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

function runLoad(input: object): Promise<HttpFigures> {
  const script = fileURLToPath(new URL('../../../bench/http-load.mjs', import.meta.url)); // from src/ and dist/ alike
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as HttpFigures) : reject(new Error(`load generator exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify(input));
  });
}

async function measureHttp(
  store: Store,
  keys: KeyringSource,
  config: Config,
  reads: readonly TraineeRead[],
  options: DiscloseBenchOptions,
): Promise<HttpFigures> {
  const gate = createGate({ store, keys, clock: systemClock, ...(options.budget ? { budget: options.budget } : {}) });
  const app = buildApp({ store, keys, clock: systemClock, gate }, config);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const account = await getAccount(store.db, reads[0]!.reader.accountId);
    const grant = await createSession(
      { db: store.db, keys, clock: systemClock, session: config.session, alerts: insertRaisedAlert },
      account,
      { ip: '127.0.0.1', userAgent: BENCH_UA },
      'mfa',
    );
    const headers = { cookie: `vigie_session=${grant.token}`, 'user-agent': BENCH_UA };
    const paths = reads.map((r) => `/api/training/trainees/${r.personId}`);
    return await runLoad({
      origin: address,
      paths,
      headers,
      concurrency: options.concurrency,
      durationMs: options.seconds * 1000,
      warmupMs: 2000,
    });
  } finally {
    await app.close();
  }
}

/** Where the bench seeds its fresh base, and how it is removed afterwards. */
interface BenchBase {
  readonly store: Store;
  /** The SQLite file (the bare baseline opens it with better-sqlite3), or null on PostgreSQL. */
  readonly file: string | null;
  readonly url: string;
  remove(): Promise<void>;
}

/**
 * The fresh base: a temporary SQLite file by default; with `db`, a new SQLite file at that path
 * (refused if something is there: the bench never writes into an existing base), or a new schema
 * of that PostgreSQL database, dropped afterwards.
 */
async function openBenchBase(dir: string, db: string | undefined): Promise<BenchBase> {
  const file = db === undefined ? join(dir, 'vigie.db') : sqliteFileOf(db);
  if (file === null) {
    const url = db!; // only a PostgreSQL URL names no file
    const schema = `vigie_bench_${randomBytes(6).toString('hex')}`;
    const admin = openStore(url); // creates the schema now, drops it at the end
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
    return {
      store: openStore(url, { schema }),
      file: null,
      url,
      remove: async () => {
        try {
          await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
        } finally {
          await admin.close();
        }
      },
    };
  }
  if (db !== undefined && existsSync(file)) {
    throw new AppError(
      'BENCH.DB_EXISTS',
      'conflict',
      `${file} existe déjà : le banc d’essai crée sa propre base et ne touche jamais à une base existante.`,
    );
  }
  return { store: openStore(file), file, url: file, remove: async () => removeSqliteFiles(file) };
}

/** Seeds, measures, cleans up. */
export async function runDiscloseBench(options: DiscloseBenchOptions): Promise<DiscloseBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-'));
  const keysFile = join(dir, 'vigie.keys.json');
  generateKeyFile(keysFile);
  const keys = keyringSource({ file: keysFile });
  try {
    const base = await openBenchBase(dir, options.db);
    const { store } = base;
    try {
      await store.migrate();
      await seedPopulation(
        { store, keys, clock: systemClock },
        {
          people: options.people,
          seed: 'bench',
          workers: sealingWorkersAvailable() ? 2 : 0,
          keysAt: { file: keysFile },
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        },
      );
      const config = loadConfig(
        {},
        { dataDir: dir, databaseUrl: base.url, keysFile, cookieSecure: false, logLevel: 'warn' },
      );
      return await measure(store, keys, config, base.file, options);
    } finally {
      await store.close();
      await base.remove();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  store: Store,
  keys: KeyringSource,
  config: Config,
  file: string | null,
  options: DiscloseBenchOptions,
): Promise<DiscloseBenchResult> {
  const reads = await traineeReads(store);
  if (reads.length === 0) throw new Error('no trainee to read in the seeded population');
  const gate = createGate({ store, keys, clock: systemClock, ...(options.budget ? { budget: options.budget } : {}) });
  const gated = gatedOp(gate, reads);
  const record = await sampleRecord(store, gated);
  const shape = { durationMs: options.seconds * 1000, concurrency: options.concurrency };
  const step = (s: string) => options.onProgress?.({ phase: 'measure', step: s });
  step('gated');
  await throughput({ durationMs: 1000, concurrency: options.concurrency }, gated); // warm-up
  const cpuBefore = process.cpuUsage();
  let gatedReads = 0;
  const gatedPerS = await throughput(shape, (i) => (gatedReads++, gated(i)));
  const cpu = process.cpuUsage(cpuBefore);
  const gatedSequential = await throughput({ ...shape, concurrency: 1 }, gated);
  step('bare');
  const bareGroupedPerS = await throughput(shape, bareGrouped(store, record, reads));
  // SQLite: better-sqlite3 alone, one read at a time (it is synchronous); PostgreSQL: the same
  // select and insert in a transaction each, as many in flight as the gate had.
  const bare = file === null ? barePostgres(store, record, reads) : bareSqlite(file, record, reads);
  const barePerS = await throughput({ ...shape, concurrency: file === null ? options.concurrency : 1 }, bare.op);
  bare.close();
  step('http');
  const http = await measureHttp(store, keys, config, reads, options);
  return {
    gated_per_s: Math.round(gatedPerS),
    bare_per_s: Math.round(barePerS),
    ratio: Math.round((gatedPerS / barePerS) * 100) / 100,
    http_req_per_s: Math.round(http.req_per_s),
    http_p99_ms: Math.round(http.p99_ms * 10) / 10,
    gated_sequential_per_s: Math.round(gatedSequential),
    gated_cpu_us_per_read: Math.round(((cpu.user + cpu.system) / Math.max(1, gatedReads)) * 10) / 10,
    bare_grouped_per_s: Math.round(bareGroupedPerS),
    http_p50_ms: Math.round(http.p50_ms * 10) / 10,
    http_errors: http.errors,
    people: options.people,
    concurrency: options.concurrency,
  };
}
