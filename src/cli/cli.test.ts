import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leafHash } from '../audit/disclosure-log.js';
import { verifyConsistency, verifyInclusion } from '../audit/merkle-proofs.js';
import { identifierOfIndex } from '../sim/seed/ids.js';
import { openStore } from '../storage/database.js';
import { TEST_PG_URL } from '../test-support/stores.js';
import { blindIndex } from '../vault/blind-index.js';
import { loadKeyring } from '../vault/key-file.js';
import { printDemo, startDemo } from './commands/demo.js';
import { startServer } from './commands/serve.js';
import type { CliIo } from './io.js';
import { main } from './main.js';
import { configOf } from './store-options.js';

interface TestIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

function testIo(input = ''): TestIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env: {},
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    errRaw: (text) => void stderr.push(text),
    errIsTerminal: false,
    stdin: Readable.from([input]),
    untilShutdown: () => new Promise(() => undefined),
    stdout,
    stderr,
  };
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = async (args: readonly string[], input = ''): Promise<TestIo & { code: number }> => {
  const io = testIo(input);
  const code = await main([...args, '--data-dir', dir], io);
  return { ...io, code };
};

describe('vigie init', () => {
  it('creates the data directory, a 0600 key file and the database; refuses to overwrite the keys', async () => {
    const first = await run(['init']);
    expect(first.code).toBe(0);
    expect(statSync(join(dir, 'vigie.keys.json')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'vigie.db'))).toBe(true);
    const again = await run(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toEqual([expect.stringMatching(/^Erreur \[VAULT\.KEYS_EXIST\] : /)]);
  });
});

describe('vigie audit', () => {
  it('extends the tree head of the disclosure log, verifies it, and fails with code 1 once a row is altered', async () => {
    await run(['init']);
    const store = openStore(join(dir, 'vigie.db'));
    const row = {
      request_id: 'r',
      reader_id: 'a',
      session_ref: null,
      organisation_id: null,
      person_id: 'p',
      purpose: 'self_service',
      fields: 'email',
      reason: null,
      source_ip: null,
    };
    for (let i = 0; i < 5; i++)
      await store.db
        .insertInto('disclosures')
        .values({ ...row, at: i, leaf_hash: leafHash({ ...row, at: i }) })
        .execute();
    const head = await run(['audit', 'head', '--json']);
    expect(head.code).toBe(0);
    expect(JSON.parse(head.stdout[0] ?? '')).toMatchObject({
      treeSize: 5,
      rootHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const clean = await run(['audit', 'verify']);
    expect([clean.code, clean.stdout.at(-1)]).toEqual([0, 'Journal intègre.']);
    await store.db.updateTable('disclosures').set({ person_id: 'someone else' }).where('at', '=', 3).execute();
    await store.close();
    const tampered = await run(['audit', 'verify']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout.join('\n')).toMatch(/ligne n° 4 : ligne modifiée après coup/);
    expect(tampered.stderr).toEqual([expect.stringMatching(/^Erreur \[AUDIT\.LOG_TAMPERED\]/)]);
  });

  it('proves a disclosure under the latest head and an older head consistent with it; refuses a row not yet under a head', async () => {
    await run(['init']);
    const store = openStore(join(dir, 'vigie.db'));
    const row = {
      request_id: 'r',
      reader_id: 'a',
      session_ref: null,
      organisation_id: null,
      person_id: 'p',
      purpose: 'self_service',
      fields: 'email',
      reason: null,
      source_ip: null,
    };
    const insert = async (from: number, to: number) => {
      for (let i = from; i < to; i++)
        await store.db
          .insertInto('disclosures')
          .values({ ...row, at: i, leaf_hash: leafHash({ ...row, at: i }) })
          .execute();
    };
    await insert(0, 5);
    const old = JSON.parse((await run(['audit', 'head', '--json'])).stdout[0] ?? '') as {
      treeSize: number;
      rootHash: string;
    };
    await insert(5, 11);
    const latest = JSON.parse((await run(['audit', 'head', '--json'])).stdout[0] ?? '') as {
      treeSize: number;
      rootHash: string;
    };
    await insert(11, 12);
    await store.close();

    const proved = await run(['audit', 'prove', '--seq', '4', '--json']);
    expect(proved.code).toBe(0);
    const p = JSON.parse(proved.stdout[0] ?? '') as {
      leafIndex: number;
      treeSize: number;
      root: string;
      leafHash: string;
      proof: string[];
    };
    expect(p).toMatchObject({
      seq: 4,
      leafIndex: 3,
      treeSize: 11,
      root: latest.rootHash,
      leafHash: leafHash({ ...row, at: 3 }).toString('hex'),
    });
    expect(
      verifyInclusion(
        Buffer.from(p.leafHash, 'hex'),
        3,
        11,
        p.proof.map((h) => Buffer.from(h, 'hex')),
        Buffer.from(latest.rootHash, 'hex'),
      ),
    ).toBe(true);
    const text = await run(['audit', 'prove', '--seq', '4']);
    expect([text.code, text.stdout[0], text.stdout.at(-1)]).toEqual([
      0,
      `Divulgation n° 4 : feuille 3 de l’arbre à 11 divulgations, racine ${latest.rootHash}.`,
      'Preuve d’inclusion vérifiée.',
    ]);

    const pending = await run(['audit', 'prove', '--seq', '12']);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toEqual([
      expect.stringMatching(/^Erreur \[AUDIT\.NOT_UNDER_HEAD\] : La divulgation n° 12 n’est pas encore couverte/),
    ]);
    expect((await run(['audit', 'prove', '--seq', '99'])).stderr).toEqual([
      expect.stringMatching(/^Erreur \[AUDIT\.DISCLOSURE_NOT_FOUND\]/),
    ]);
    const usage = await run(['audit', 'prove', '--seq', 'zéro']);
    expect([usage.code, usage.stderr.join('')]).toEqual([
      2,
      expect.stringContaining('--seq doit être un entier supérieur ou égal à 1.'),
    ]);

    const consistent = await run(['audit', 'consistency', '--from', '5', '--json']);
    expect(consistent.code).toBe(0);
    const c = JSON.parse(consistent.stdout[0] ?? '') as { oldRoot: string; newRoot: string; proof: string[] };
    expect(c).toMatchObject({ oldTreeSize: 5, oldRoot: old.rootHash, newTreeSize: 11, newRoot: latest.rootHash });
    expect(
      verifyConsistency(
        5,
        11,
        Buffer.from(c.oldRoot, 'hex'),
        Buffer.from(c.newRoot, 'hex'),
        c.proof.map((h) => Buffer.from(h, 'hex')),
      ),
    ).toBe(true);
    expect((await run(['audit', 'consistency', '--from', '5'])).stdout.at(-1)).toBe(
      'Preuve de cohérence vérifiée : l’ancienne tête est un préfixe de la dernière.',
    );
    expect((await run(['audit', 'consistency', '--from', '6'])).stderr).toEqual([
      expect.stringMatching(/^Erreur \[AUDIT\.HEAD_NOT_FOUND\]/),
    ]);
  });
});

describe('vigie seed, account create, keys rotate', () => {
  it('seeds, reports the figure in JSON, and refuses a non-empty database', async () => {
    await run(['init']);
    const seeded = await run(['seed', '--people', '300', '--seed', 'cli', '--json']);
    expect(seeded.code).toBe(0);
    expect(JSON.parse(seeded.stdout[0] ?? '')).toMatchObject({
      people: 300,
      seconds: expect.any(Number),
      people_per_s: expect.any(Number),
    });
    expect(seeded.stderr.join('\n')).toMatch(/Population installée : 300 personnes/);
    const again = await run(['seed', '--people', '300']);
    expect([again.code, again.stderr.at(-1)]).toEqual([1, expect.stringMatching(/^Erreur \[SEED\.NOT_EMPTY\]/)]);
  });

  it('creates staff accounts (password from stdin, or generated once) and a job seeker account', async () => {
    await run(['init']);
    await run(['seed', '--people', '300', '--seed', 'cli']);
    const store = openStore(join(dir, 'vigie.db'));
    const agency = await store.db
      .selectFrom('organisations')
      .select('id')
      .where('kind', '=', 'agency')
      .executeTakeFirstOrThrow();
    const keys = loadKeyring({ file: join(dir, 'vigie.keys.json') });
    const person = await store.db
      .selectFrom('people')
      .select('id')
      .where('bi_identifier', '=', blindIndex(keys, 'identifier', identifierOfIndex('cli')(1)))
      .executeTakeFirstOrThrow();
    await store.close();
    const staff = ['account', 'create', '--role', 'adviser', '--organisation', agency.id, '--name', 'Anne Test'];
    const piped = await run(
      [...staff, '--login', 'anne.test@francetravail.example', '--password-stdin'],
      'un mot de passe assez long\n',
    );
    expect([piped.code, piped.stdout.length]).toEqual([0, 1]);
    const generated = await run([...staff, '--login', 'anne.test2@francetravail.example']);
    expect(generated.stdout[1]).toMatch(/^Mot de passe \(affiché une seule fois\) : [A-Za-z0-9_-]{24}$/);
    const seeker = await run(
      [
        'account',
        'create',
        '--role',
        'job_seeker',
        '--person',
        person.id,
        '--login',
        identifierOfIndex('cli')(1),
        '--password-stdin',
      ],
      'encore un mot de passe',
    );
    expect(seeker.code).toBe(0);
    const unknown = await run(['account', 'create', '--role', 'chef', '--login', 'x@y.example']);
    expect([unknown.code, unknown.stderr[0]]).toEqual([1, expect.stringMatching(/^Erreur \[ACCOUNT\.ROLE_UNKNOWN\]/)]);
    const short = await run([...staff, '--login', 'court@francetravail.example', '--password-stdin'], 'court');
    expect(short.stderr[0]).toMatch(/^Erreur \[PASSWORD\.TOO_SHORT\]/);
  });

  it('rotates the master key and re-wraps every data key; --resume finds nothing left', async () => {
    await run(['init']);
    await run(['seed', '--people', '300', '--seed', 'cli']);
    const rotated = await run(['keys', 'rotate', '--batch', '100']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout[0]).toMatch(/^Clé maîtresse version 2 ajoutée/);
    expect(rotated.stdout[1]).toMatch(/^Rotation terminée : 300 clés de données re-chiffrées sous la version 2 /);
    const resumed = await run(['keys', 'rotate', '--resume']);
    expect(resumed.stdout[0]).toMatch(/^Rotation terminée : 0 clés .* \(déjà à jour : 300,/);
  });
});

describe('vigie serve and vigie demo', () => {
  it('serves the API on the configured address', async () => {
    await run(['init']);
    const port = await freePort();
    const server = await startServer(configOf(testIo(), { dataDir: dir }, { port, logLevel: 'silent' }));
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('initialises, seeds once, serves, and prints working logins for every persona', async () => {
    const io = testIo();
    const flags = { dataDir: dir, port: await freePort(), logLevel: 'silent' };
    const demo = await startDemo(io, flags, { people: 300, seed: 'demo' });
    try {
      printDemo(io, demo);
      expect(io.stdout[0]).toBe(`Vigie (démonstration) : http://localhost:${flags.port}`);
      expect(io.stdout[1]).toBe(`Documentation de l’API : http://localhost:${flags.port}/api/docs`);
      expect(demo.logins.map((l) => l.role)).toEqual([
        'adviser',
        'trainer',
        'partner_adviser',
        'recruiter',
        'job_seeker',
        'account_manager',
      ]);
      for (const login of demo.logins) {
        const response = await fetch(`http://127.0.0.1:${flags.port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: login.login, password: login.password }),
        });
        expect([login.role, response.status]).toEqual([login.role, 200]);
      }
      // The job seeker signs in from a new device: the code reaches the demo mailbox, printed on the console.
      expect(io.stdout.join('\n')).toMatch(
        /Courriel de démonstration pour .*@.*\.example — Votre code de connexion Vigie\n(.*\n)* {2}│ Votre code de connexion : \w+/,
      );
    } finally {
      await demo.close();
    }
    const again = await startDemo(testIo(), flags, { people: 300, seed: 'demo' });
    await again.close();
    expect(again.logins).toEqual(demo.logins);
  });
});

describe('usage errors and help', () => {
  it('answers in French with a stable code and exit code 2', async () => {
    const unknown = await run(['seed', '--bogus']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      ['Erreur [USAGE.UNKNOWN_OPTION] : option inconnue « --bogus ». Voir « vigie --help ».'],
    ]);
    const invalid = await run(['seed', '--people', 'beaucoup']);
    expect([invalid.code, invalid.stderr[0]]).toEqual([
      2,
      expect.stringMatching(/^Erreur \[USAGE\.INVALID_VALUE\] : .*--people doit être un entier/),
    ]);
    const help = await run(['seed', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/^Utilisation : vigie seed \[options\]/);
    expect(help.stdout.join('\n')).toMatch(/\(défaut : 20000\)/);
  });
});

describe('vigie on PostgreSQL', () => {
  it('initialises, seeds and rotates a PostgreSQL database given with --db', async () => {
    const name = `vigie_cli_${randomBytes(6).toString('hex')}`;
    const admin = async (text: string) => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(text).finally(() => client.end());
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${name}`;
    const db = url.toString();
    try {
      expect((await run(['init', '--db', db])).code).toBe(0);
      const seeded = await run(['seed', '--db', db, '--people', '300']);
      expect([seeded.code, seeded.stdout[0]]).toEqual([
        0,
        expect.stringMatching(/^Population installée : 300 personnes/),
      ]);
      const rotated = await run(['keys', 'rotate', '--db', db]);
      expect(rotated.stdout[1]).toMatch(/^Rotation terminée : 300 clés/);
    } finally {
      await admin(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  });
});
