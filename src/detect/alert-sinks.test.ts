import { createHmac } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectionFixture } from '../test-support/detection-fixtures.js';
import {
  addAccount,
  addOrganisation,
  addPeople,
  DETECT_START,
  errorOf,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { DIALECTS } from '../test-support/stores.js';
import { sessionsStartOn } from './test-sessions.js';
import { getAlert } from './alerts.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on loopback: answers 503 to the first `failFirst` requests, then 204; or never answers. */
async function webhookServer(
  failFirst: number,
  hang = false,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (hang) return;
      res.statusCode = received.length <= failFirst ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/vigie/alerts`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(DIALECTS)('alerts to the webhook and the SIEM on %s', (dialect) => {
  let f: DetectionFixture;
  let hook: Awaited<ReturnType<typeof webhookServer>>;
  let dir = '';
  let siemFile = '';
  let siem: ReturnType<typeof createWriteStream>;
  let trainees: string[] = [];
  let training = '';
  const secret = 'secret de signature des alertes';

  beforeAll(async () => {
    hook = await webhookServer(1);
    dir = mkdtempSync(join(tmpdir(), 'vigie-siem-'));
    siemFile = join(dir, 'alerts.ndjson');
    siem = createWriteStream(siemFile, { flags: 'a' });
    f = await openDetectionFixture(dialect, { webhook: { url: hook.url, secret, backoffMs: [20, 20] }, siem });
    const agency = await addOrganisation(f.store.db, 'agency');
    training = await addOrganisation(f.store.db, 'training');
    trainees = await addPeople(f, agency, 45, { trainingOrg: training });
    await sessionsStartOn(f.store.db, training, '2026-03-06');
  });
  afterAll(async () => {
    await f.dispose();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts each alert to the webhook, signed, retried until accepted, with ids and counts only', async () => {
    f.clock.set(DETECT_START);
    const t = await addAccount(f.store.db, 'trainer', training);
    const masked = await f.gate.disclose({
      reader: readerOf(t, { sourceIp: '203.0.113.9' }),
      purpose: 'training_followup',
      people: trainees,
    });
    expect(masked.every((p) => p.masked)).toBe(true);
    await f.detection.flush();
    expect(hook.received).toHaveLength(2); // 503, then accepted
    const [first, second] = hook.received;
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['content-type']).toBe('application/json');
    expect(second!.headers['x-vigie-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(second!.body).digest('hex')}`,
    );
    const payload = JSON.parse(second!.body) as {
      type: string;
      alert: { id: string; action: string; accountId: string; details: Record<string, unknown> };
    };
    expect(payload).toMatchObject({
      type: 'vigie.alert',
      alert: {
        action: 'mask',
        rule: 'day',
        accountId: t.id,
        organisationId: training,
        sourceIp: '203.0.113.9',
        details: { people: 45 },
      },
    });
    expect(second!.body).not.toMatch(/Testnom|Prénom|personne\d+@|\+3361234/);
    const stored = await getAlert(f.store.db, payload.alert.id);
    expect(stored).toMatchObject({ deliveryAttempts: 2, deliveredAt: f.clock.now() });
  });

  it('writes ECS lines a SIEM can parse', async () => {
    const t = await addAccount(f.store.db, 'trainer', training);
    f.detection.recordLookupMiss(readerOf(t), 60);
    for (let page = 1; page <= 30; page++) f.detection.recordListing(readerOf(t), 'trainees', page);
    expect(
      (
        await errorOf(
          f.gate.disclose({ reader: readerOf(t), purpose: 'training_followup', people: trainees.slice(0, 1) }),
        )
      )?.code,
    ).toBe('DETECT.CREDENTIAL_SUSPENDED');
    await f.detection.flush();
    await new Promise<void>((resolve) => siem.write('', () => resolve()));
    const lines = readFileSync(siemFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    expect(lines).toHaveLength(2);
    const suspension = lines[1]!;
    expect(suspension['@timestamp']).toBe(new Date(f.clock.now()).toISOString());
    expect(suspension['event']).toMatchObject({
      kind: 'alert',
      category: ['intrusion_detection', 'iam'],
      action: 'suspend-credential',
      dataset: 'vigie.detection',
      severity: 73,
    });
    expect(suspension['user']).toEqual({ id: t.id });
    expect(suspension['organization']).toEqual({ id: training });
    expect(suspension['source']).toEqual({ ip: '10.0.0.1' });
    expect(suspension['rule']).toMatchObject({ name: 'risk' });
    expect(suspension['message']).toMatch(
      /^Accès suspendu \(session révoquée, compte suspendu\) : signaux de risque cumulés/,
    );
    expect(suspension['ecs']).toEqual({ version: '8.11.0' });
  });

  it('never makes the gate wait for the webhook', async () => {
    const blackHole = await webhookServer(0, true);
    const { createDetection } = await import('./detection.js');
    const { createGate } = await import('../disclosure/gate.js');
    const detection = createDetection({
      store: f.store,
      clock: f.clock,
      webhook: { url: blackHole.url, backoffMs: [], timeoutMs: 300 },
    });
    const gate = createGate({ store: f.store, keys: f.keys, clock: f.clock, budget: detection.hook });
    const t = await addAccount(f.store.db, 'trainer', training);
    const started = performance.now();
    expect(
      (await gate.disclose({ reader: readerOf(t), purpose: 'training_followup', people: trainees })).every(
        (p) => p.masked,
      ),
    ).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
    await detection.close();
    expect(blackHole.received).toHaveLength(1);
    await blackHole.close();
  });
});
