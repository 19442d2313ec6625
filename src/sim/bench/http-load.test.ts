import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../bench/http-load.mjs', import.meta.url));

function load(
  input: object,
): Promise<{ requests: number; errors: number; req_per_s: number; p50_ms: number; p99_ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`exit ${code}`))));
    child.stdin.end(JSON.stringify(input));
  });
}

describe('the HTTP load generator (bench/http-load.mjs)', () => {
  const seen = { cookie: '', count: 0 };
  const server = createServer((req, res) => {
    seen.count++;
    seen.cookie = req.headers.cookie ?? '';
    const body = req.url === '/ok' ? '{"ok":true}' : '{"code":"NOT_FOUND"}';
    if (req.url === '/close') res.setHeader('connection', 'close');
    res
      .writeHead(req.url === '/ok' ? 200 : 404, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  });
  let origin = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts complete 200 responses, sends the headers given, and reports latencies', async () => {
    const result = await load({
      origin,
      paths: ['/ok'],
      headers: { cookie: 'vigie_session=abc' },
      concurrency: 4,
      durationMs: 500,
      warmupMs: 100,
    });
    expect(result.requests).toBeGreaterThan(100);
    expect(result.errors).toBe(0);
    expect(result.p99_ms).toBeGreaterThanOrEqual(result.p50_ms);
    expect(seen.cookie).toBe('vigie_session=abc');
  });

  it('counts other statuses and connections closed by the server as errors, and carries on', async () => {
    const result = await load({
      origin,
      paths: ['/ok', '/missing', '/close'],
      headers: {},
      concurrency: 2,
      durationMs: 500,
      warmupMs: 100,
    });
    expect(result.requests).toBeGreaterThan(30);
    expect(result.errors).toBeGreaterThan(result.requests / 3);
  });

  it('refuses a target that is not on loopback', async () => {
    await expect(
      load({ origin: 'http://192.0.2.1:80', paths: ['/'], headers: {}, concurrency: 1, durationMs: 100, warmupMs: 0 }),
    ).rejects.toThrow();
  });
});
