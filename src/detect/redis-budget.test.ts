/**
 * Two real API processes, each with its own store connection, detection instance and gate, read for
 * the same credential against the real Redis: together they stay within one budget. Without Redis,
 * each process would grant the whole budget (the control).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, addOrganisation, addPeople, DETECT_START } from '../test-support/detection-fixtures.js';
import type { WorkerInput, WorkerOutput } from '../test-support/detection-worker.js';
import { DIALECTS, openTestStore, TEST_PG_URL } from '../test-support/stores.js';
import type { TestStore } from '../test-support/stores.js';
import { openStore } from '../storage/database.js';
import { sessionsStartOn } from './test-sessions.js';
import { keyringFromDocument, newKeyDocument } from '../vault/keyring.js';

const REDIS_URL = process.env['VIGIE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const DAY_LIMIT = 50;
const bundleDir = join(process.cwd(), 'node_modules', '.vigie-test', randomUUID());
const worker = join(bundleDir, 'detection-worker.mjs');

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  await build({
    input: join(process.cwd(), 'src/test-support/detection-worker.ts'),
    platform: 'node',
    external: [/^node:/, /^[a-z@][^:]*$/],
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { file: worker, format: 'esm' },
    logLevel: 'warn',
  });
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

describe.each(DIALECTS)('one budget per credential across two processes on %s', (dialect) => {
  let store: TestStore;
  let base: Omit<WorkerInput, 'redis' | 'people' | 'databaseUrl'>;
  let people: string[] = [];
  const prefix = `vigie-test:${randomUUID()}:`;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const doc = newKeyDocument();
    const keys = keyringFromDocument(doc);
    const agency = await addOrganisation(store.db, 'agency');
    const training = await addOrganisation(store.db, 'training');
    people = await addPeople({ store, keys }, agency, 120, { trainingOrg: training });
    await sessionsStartOn(store.db, training, '2026-03-06');
    const trainer = await addAccount(store.db, 'trainer', training);
    await store.db
      .insertInto('detection_baselines')
      .values({
        account_id: trainer.id,
        organisation_id: training,
        role: 'trainer',
        peer_group: 'test',
        reachable: 10_000,
        portfolio: 120,
        minute_limit: 1000,
        hour_limit: 1000,
        day_limit: DAY_LIMIT,
        week_limit: 1000,
        session_limit: 1000,
        contact_day_limit: 10,
        usual_hours: null,
        history_days: 30,
        strikes: 0,
        basis: '{}',
        computed_at: DETECT_START,
      })
      .execute();
    base = { keys: JSON.stringify(doc), now: DETECT_START, accountId: trainer.id, organisationId: training, batch: 1 };
  });
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await store.dispose();
  });

  /**
   * Where each process finds the database: the same PostgreSQL schema; for SQLite, a copy each (one
   * SQLite file is not shared by several writer processes; what is shared here is Redis).
   */
  const databases = async (tag: string): Promise<Array<Pick<WorkerInput, 'databaseUrl' | 'schema'>>> => {
    if (dialect === 'postgres') return [0, 1].map(() => ({ databaseUrl: TEST_PG_URL, schema: store.location }));
    return Promise.all(
      ['a', 'b'].map(async (n) => {
        const copy = join(dirname(store.location), `${tag}-${n}.db`);
        await sql`VACUUM INTO ${sql.lit(copy)}`.execute(store.db);
        return { databaseUrl: copy };
      }),
    );
  };

  const both = async (tag: string, input: Omit<WorkerInput, 'people' | 'databaseUrl'>) => {
    const [da, db] = await databases(tag);
    const workers = [
      spawnWorker({ ...input, ...da!, people }),
      spawnWorker({ ...input, ...db!, people: [...people].reverse() }),
    ];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go(); // both read at the same time
    const outputs = await Promise.all(workers.map((w) => w.output));
    return { outputs, logged: await loggedPeople([da!, db!]) };
  };

  /** A worker process: `ready` once it is set up, then `go()` starts its reading. */
  const spawnWorker = (input: WorkerInput) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(input)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.startsWith('ready\n')) onReady();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const output = new Promise<WorkerOutput>((resolve, reject) =>
      child.on('close', (code) =>
        code === 0
          ? resolve(JSON.parse(stdout.slice('ready\n'.length)) as WorkerOutput)
          : reject(new Error(`worker failed (${code}): ${stderr}`)),
      ),
    );
    return { ready, output, go: () => child.stdin.end('go\n') };
  };

  /** People the disclosure log shows disclosed with identifying fields, across the processes' databases. */
  const loggedPeople = async (
    where: ReadonlyArray<Pick<WorkerInput, 'databaseUrl' | 'schema'>>,
  ): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (const w of dialect === 'postgres' ? where.slice(0, 1) : where) {
      const s = openStore(w.databaseUrl, w.schema ? { schema: w.schema } : {});
      const rows = await s.db
        .selectFrom('disclosures')
        .select('person_id')
        .where('reader_id', '=', base.accountId)
        .where('fields', 'like', '%lastName%')
        .execute();
      for (const r of rows) seen.add(r.person_id);
      await s.close();
    }
    return seen;
  };

  it('keeps the total of both processes within the credential’s budget, exactly', async () => {
    const {
      outputs: [a, b],
      logged,
    } = await both('redis', { ...base, redis: { url: REDIS_URL, prefix } });
    expect(new Set([...a!.identified, ...b!.identified]).size).toBe(DAY_LIMIT);
    expect(a!.identified.length).toBeGreaterThan(0); // both took part
    expect(b!.identified.length).toBeGreaterThan(0);
    expect(a!.identified.length + b!.identified.length).toBe(DAY_LIMIT); // nobody granted twice
    expect(logged.size).toBe(DAY_LIMIT);
    // Insisting beyond the budget contained the credential, in both processes (the flag is in Redis).
    expect(a!.refused['DETECT.CREDENTIAL_SUSPENDED']).toBeGreaterThan(0);
    expect(b!.refused['DETECT.CREDENTIAL_SUSPENDED']).toBeGreaterThan(0);
  });

  it('(control) without Redis, each process grants its own budget', async () => {
    await store.db.deleteFrom('containments').execute();
    await store.db.updateTable('accounts').set({ status: 'active' }).where('id', '=', base.accountId).execute();
    const fresh = { ...base, now: DETECT_START + 7 * 86_400_000 }; // a new week: fresh windows for both
    const {
      outputs: [a, b],
    } = await both('memory', { ...fresh, redis: null });
    // Up to twice the budget: each process counts only what the log held when it first saw the account.
    expect(new Set([...a!.identified, ...b!.identified]).size).toBeGreaterThan(DAY_LIMIT + 25);
  });
});
