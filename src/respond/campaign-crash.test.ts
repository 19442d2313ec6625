import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reader } from '../disclosure/reader.js';
import type { CampaignWorkerInput } from '../test-support/campaign-worker.js';
import { enrol } from '../test-support/orgs.js';
import { insertJobSeekers, sampleJobSeeker } from '../test-support/people.js';
import type { RespondWorld } from '../test-support/respond-fixtures.js';
import { HOUR, openRespondWorld, RESPOND_START } from '../test-support/respond-fixtures.js';
import type { KillPoint, SmtpRelay } from '../test-support/smtp-relay.js';
import { startSmtpRelay } from '../test-support/smtp-relay.js';
import { DIALECTS, TEST_PG_URL } from '../test-support/stores.js';
import { openIncident } from './incidents.js';
import { scopeIncident } from './scope.js';
import { verificationCodeOf } from './verification-code.js';

const bundleDir = join(process.cwd(), 'node_modules', '.vigie-test', randomUUID());
const worker = join(bundleDir, 'campaign-worker.mjs');
beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  await build({
    input: join(process.cwd(), 'src/test-support/campaign-worker.ts'),
    platform: 'node',
    external: [/^node:/, /^[a-z@][^:]*$/],
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { file: worker, format: 'esm' },
    logLevel: 'warn',
  });
}, 120_000);
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

type Crash = { readonly kind: 'smtp'; readonly at: number; readonly point: KillPoint } | { readonly kind: 'printing' };

/** One run of the campaign process, killed as `crash` says; resolves with its exit. */
function runOnce(
  input: CampaignWorkerInput,
  relay: SmtpRelay,
  crash: Crash | null,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [worker, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  if (crash?.kind === 'smtp') relay.killAt(crash.at, crash.point, child.pid!);
  let watch: NodeJS.Timeout | null = null;
  if (crash?.kind === 'printing')
    watch = setInterval(() => {
      if (readdirSync(input.printDir).some((f) => f.endsWith('.pdf.part'))) child.kill('SIGKILL');
    }, 2);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      if (watch) clearInterval(watch);
      resolve({ code, signal, stderr });
    }),
  );
}

describe.each(DIALECTS)('a campaign killed at several points sends exactly one notice per person (%s)', (dialect) => {
  let w: RespondWorld;
  let relay: SmtpRelay;
  let printDir: string;
  const emails = new Map<string, string>(); // address → person
  let noEmail: string[] = [];
  let refused: string[] = [];
  let incidentId = '';

  beforeAll(async () => {
    w = await openRespondWorld(dialect, 14);
    relay = await startSmtpRelay((address) => address.startsWith('refuse'));
    printDir = mkdtempSync(join(tmpdir(), 'vigie-print-'));
    const extra = [
      ...[1, 2, 3].map(() => sampleJobSeeker(w.orgs.agency, {})),
      ...[1, 2, 3].map(() => sampleJobSeeker(w.orgs.agency, {})),
    ];
    extra.slice(0, 3).forEach((p) => (p.sealed.contact.email = null));
    extra.slice(3).forEach((p, i) => (p.sealed.contact.email = `refuse${i}@exemple.fr`));
    await insertJobSeekers(w.store.db, w.keys, extra, RESPOND_START - HOUR);
    for (const p of extra) await enrol(w.store.db, w.orgs.training, p.id, 'adviser');
    [noEmail, refused] = [extra.slice(0, 3).map((p) => p.id), extra.slice(3).map((p) => p.id)];
    const everyone = [...w.people, ...extra.map((p) => p.id)];
    const reader: Reader = {
      accountId: w.accounts.trainer1.id,
      role: 'trainer',
      organisationId: w.orgs.training,
      organisationKind: 'training',
      personId: null,
      sessionRef: 'stolen',
      sourceIp: '203.0.113.9',
      requestId: randomUUID(),
      assurance: 'password',
    };
    w.clock.set(RESPOND_START + HOUR);
    const seen = await w.gate.disclose({ reader, purpose: 'training_contact', people: everyone });
    for (const p of seen) if (p.fields.email) emails.set(p.fields.email, p.id);
    w.clock.set(RESPOND_START + 2 * HOUR);
    const actor = { accountId: w.accounts.officer.id, sourceIp: null };
    incidentId = (
      await openIncident(w.deps, actor, {
        title: 'Identifiant volé',
        source: { kind: 'manual', id: null },
        credentials: [{ accountId: w.accounts.trainer1.id }],
        windowFrom: RESPOND_START,
      })
    ).id;
    await scopeIncident(w.deps, actor, incidentId);
  }, 120_000);
  afterAll(async () => {
    await relay.close();
    await w.dispose();
    rmSync(printDir, { recursive: true, force: true });
  });

  it('resumes after each kill and leaves one e-mail or one letter per person, never both, never two', async () => {
    const input: CampaignWorkerInput = {
      databaseUrl: dialect === 'sqlite' ? w.store.location : TEST_PG_URL,
      ...(dialect === 'postgres' ? { schema: w.store.location } : {}),
      keys: w.keyDocument,
      incidentId,
      officer: { id: w.accounts.officer.id, organisationId: w.orgs.national },
      smtpUrl: relay.url,
      printDir,
      emailBatch: 3,
      lettersPerFile: 2,
    };
    const crashes: Crash[] = [
      { kind: 'smtp', at: 2, point: 'during_data' },
      { kind: 'smtp', at: 3, point: 'before_reply' },
      { kind: 'smtp', at: 2, point: 'after_reply' },
      { kind: 'printing' },
    ];
    for (const crash of crashes) {
      const run = await runOnce(input, relay, crash);
      expect(run.signal, run.stderr).toBe('SIGKILL');
    }
    let final = await runOnce(input, relay, null);
    for (let i = 0; final.code !== 0 && i < 3; i++) final = await runOnce(input, relay, null);
    expect(final.code, final.stderr).toBe(0);

    // E-mails: one per Message-ID delivered; each person with an address got exactly one.
    const byPerson = new Map<string, Set<string>>();
    for (const m of relay.presented) {
      const person = emails.get(m.to);
      if (!person) throw new Error(`message to an unknown address`);
      byPerson.set(person, (byPerson.get(person) ?? new Set()).add(m.messageId));
    }
    const emailed = [...emails.values()].filter((p) => !refused.includes(p));
    expect([...byPerson.keys()].sort()).toEqual([...emailed].sort());
    for (const ids of byPerson.values()) expect(ids.size).toBe(1);
    expect(relay.presented.length).toBeGreaterThan(relay.delivered.size); // the kill before 250 made one go twice
    expect(relay.delivered.size).toBe(emailed.length);

    // Letters: the people without an address and those refused, each in exactly one complete print file.
    expect(readdirSync(printDir).filter((f) => f.endsWith('.part'))).toEqual([]);
    const manifests = readdirSync(printDir).filter((f) => f.endsWith('.pdf.json'));
    const lettered = manifests.flatMap((f) =>
      (JSON.parse(readFileSync(join(printDir, f), 'utf8')) as { entries: { notice: string }[] }).entries.map(
        (e) => e.notice,
      ),
    );
    const notices = await w.store.db
      .selectFrom('notices')
      .select(['id', 'person_id', 'status', 'channel', 'fallback'])
      .execute();
    const personOf = new Map(notices.map((n) => [n.id, n.person_id]));
    expect(lettered.map((id) => personOf.get(id)).sort()).toEqual([...noEmail, ...refused].sort());
    expect(new Set(lettered).size).toBe(lettered.length);
    expect(notices.every((n) => n.status === (n.channel === 'email' ? 'sent' : 'printed'))).toBe(true);
    expect(
      notices
        .filter((n) => n.fallback === 'refused')
        .map((n) => n.person_id)
        .sort(),
    ).toEqual([...refused].sort());
    for (const f of manifests) expect(existsSync(join(printDir, f.replace(/\.json$/, '')))).toBe(true);

    // Every address used was read through the gate, recorded, by the officer.
    const reads = await w.store.db
      .selectFrom('disclosures')
      .select(['person_id', 'fields'])
      .where('reader_id', '=', w.accounts.officer.id)
      .where('purpose', '=', 'breach_response')
      .execute();
    for (const person of emailed)
      expect(reads.some((r) => r.person_id === person && r.fields.includes('email'))).toBe(true);
    for (const person of [...noEmail, ...refused])
      expect(reads.some((r) => r.person_id === person && r.fields.includes('addressLine'))).toBe(true);

    // No message reveals another person's data: its own code, nobody else's code or address.
    const codeOf = new Map(notices.map((n) => [n.person_id, verificationCodeOf(w.keys, n.id)]));
    for (const m of relay.delivered.values()) {
      const person = emails.get(m.to)!;
      const body = m.raw.replace(/=\r?\n/g, '');
      expect(body).toContain(codeOf.get(person)!);
      for (const [other, code] of codeOf) if (other !== person) expect(body).not.toContain(code);
      for (const address of emails.keys()) if (address !== m.to) expect(body).not.toContain(address);
    }
    const text = manifests
      .map((f) => execFileSync('pdftotext', [join(printDir, f.replace(/\.json$/, '')), '-'], { encoding: 'utf8' }))
      .join('\n');
    for (const person of [...noEmail, ...refused]) expect(text).toContain(codeOf.get(person)!);
  }, 240_000);
});
