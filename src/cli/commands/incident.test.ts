import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../storage/database.js';
import { addAccount, addOrganisation, addPeople } from '../../test-support/detection-fixtures.js';
import { withLeafHash } from '../../audit/disclosure-log.js';
import { loadKeyring } from '../../vault/key-file.js';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

interface TestIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}
const testIo = (): TestIo => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env: {},
    out: (l) => void stdout.push(l),
    err: (l) => void stderr.push(l),
    errRaw: (t) => void stderr.push(t),
    errIsTerminal: false,
    stdin: Readable.from(['']),
    untilShutdown: () => new Promise(() => undefined),
    stdout,
    stderr,
  };
};

let dir: string;
const run = async (args: readonly string[]) => {
  const io = testIo();
  const code = await main([...args, '--data-dir', dir], io);
  return { ...io, code, json: () => JSON.parse(io.stdout.join('\n')) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed output
};

describe('vigie incident', () => {
  let trainer = '';
  let people: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-incident-'));
    expect((await run(['init'])).code).toBe(0);
    const store = openStore(join(dir, 'vigie.db'));
    const keys = loadKeyring({ file: join(dir, 'vigie.keys.json') });
    const national = await addOrganisation(store.db, 'national');
    const training = await addOrganisation(store.db, 'training');
    const agency = await addOrganisation(store.db, 'agency');
    trainer = (await addAccount(store.db, 'trainer', training)).id;
    people = await addPeople({ store: { ...store, location: '', dispose: async () => undefined }, keys }, agency, 3);
    const at = Date.now() - 3_600_000;
    await store.db
      .insertInto('disclosures')
      .values(
        people.map((person_id, i) =>
          withLeafHash({
            at: at + i,
            request_id: `r${i}`,
            reader_id: trainer,
            session_ref: 's',
            organisation_id: training,
            person_id,
            purpose: 'training_contact',
            fields: i === 0 ? 'status' : 'identifier,civility,lastName,firstNames,email,phone',
            reason: null,
            source_ip: null,
          }),
        ),
      )
      .execute();
    await store.close();
    const created = await run([
      'account',
      'create',
      '--role',
      'security_officer',
      '--organisation',
      national,
      '--login',
      'dpo@francetravail.example',
      '--name',
      'DPO',
    ]);
    expect(created.code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens, scopes, shows, lists, names and closes, as the officer given with --as', async () => {
    const as = ['--as', 'dpo@francetravail.example'];
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const opened = await run([
      'incident',
      'open',
      '--title',
      'Identifiant volé',
      '--account',
      trainer,
      '--from',
      from,
      ...as,
      '--json',
    ]);
    expect(opened.code).toBe(0);
    const id = opened.json().incident.id as string;
    const scoped = await run(['incident', 'scope', id, ...as, '--json']);
    expect(scoped.json().scope.totals).toMatchObject({ people: 3, identifyingPeople: 2, rows: 3 });
    const shown = await run(['incident', 'show', id]);
    expect(shown.stdout.join('\n')).toMatch(/3 personnes, dont 2 avec au moins une donnée identifiante/);
    expect(shown.stdout.join('\n')).toMatch(/Délai de notification à la CNIL : 7[01] h \d\d min restantes/);
    expect((await run(['incident', 'list'])).stdout.join('\n')).toContain('Identifiant volé');
    const named = (await run(['incident', 'people', id, ...as, '--json'])).json();
    expect(named.people.filter((p: { name: unknown }) => p.name !== null)).toHaveLength(3);
    const closed = await run(['incident', 'close', id, '--reason', 'Personnes informées.', ...as]);
    expect(closed.code).toBe(0);
    expect(closed.stdout.join('\n')).toContain('Statut : clos.');
  });

  it('refuses an action without a security officer, and bad input, with stable codes', async () => {
    const noOfficer = await run([
      'incident',
      'open',
      '--title',
      'Sans officier',
      '--account',
      trainer,
      '--from',
      '2026-01-01',
    ]);
    expect([noOfficer.code, noOfficer.stderr.join('')]).toEqual([
      1,
      expect.stringContaining('[INCIDENT.OFFICER_UNKNOWN]'),
    ]);
    const badDate = await run(['incident', 'open', '--title', 'Date', '--from', 'hier']);
    expect([badDate.code, badDate.stderr.join('')]).toEqual([2, expect.stringContaining('[USAGE.INVALID_VALUE]')]);
    const help = await run(['incident', 'scope', '--help']);
    expect(help.stdout.join('\n')).toContain('--db <url>');
  });
});
