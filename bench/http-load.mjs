// A small closed-loop HTTP/1.1 load generator, run as its own process so that it does not share the
// server's event loop. Reads {origin, paths, headers, concurrency, durationMs, warmupMs} as JSON on
// stdin; prints {"requests","errors","req_per_s","p50_ms","p99_ms"} on stdout. Loopback only.
//
// Like wrk, it writes requests and reads responses on raw keep-alive sockets: Node's HTTP client
// costs about as much CPU per request as the server under test, and on a two-core machine the
// client's share would be taken from the server. Responses are read by their Content-Length (the
// server always sends it); anything else counts as an error and the connection is reopened.
import net from 'node:net';

const input = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (c) => (text += c)).on('end', () => resolve(text));
  }),
);
const target = new URL(input.origin);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');
const host = target.hostname.replace(/^\[|\]$/g, '');
const port = Number(target.port);
const headerLines = Object.entries({ host: target.host, ...input.headers })
  .map(([k, v]) => `${k}: ${v}\r\n`)
  .join('');
const requests = input.paths.map((path) => Buffer.from(`GET ${path} HTTP/1.1\r\n${headerLines}\r\n`, 'latin1'));

const latencies = [];
let errors = 0;
let next = 0;
let measuring = false;
const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection sending a request, waiting for its whole response, until `until`. */
function connection(until) {
  return new Promise((resolve) => {
    let socket = null;
    let buffer = Buffer.alloc(0);
    let started = 0n;
    let expected = -1; // bytes of the whole response once its headers are read
    let status = 0;

    const drop = () => {
      const s = socket;
      socket = null; // its 'close' is ours: ignored
      s?.destroy();
    };
    const send = () => {
      if (Date.now() >= until) {
        drop();
        return resolve();
      }
      buffer = Buffer.alloc(0);
      expected = -1;
      started = process.hrtime.bigint();
      socket.write(requests[next++ % requests.length]);
    };
    const fail = () => {
      if (measuring) errors++;
      drop();
      open();
    };
    const onData = (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      if (expected < 0) {
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) return;
        const head = buffer.toString('latin1', 0, end);
        status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!length) return fail();
        expected = end + 4 + Number(length[1]);
      }
      if (buffer.length < expected) return;
      if (buffer.length > expected) return fail(); // one request in flight: nothing may follow
      if (measuring) {
        if (status !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      send();
    };
    const open = () => {
      if (Date.now() >= until) return resolve();
      const s = net.connect({ host, port, noDelay: true }, send);
      socket = s;
      s.on('data', (chunk) => socket === s && onData(chunk));
      s.on('error', () => undefined); // counted on close
      s.on('close', () => {
        if (socket !== s) return;
        socket = null; // closed by the server or by an error while a request was out
        if (measuring) errors++;
        setTimeout(open, 10);
      });
    };
    open();
  });
}

const run = (ms) => Promise.all(Array.from({ length: input.concurrency }, () => connection(Date.now() + ms)));

await run(input.warmupMs);
measuring = true;
const t0 = Date.now();
await run(input.durationMs);
const seconds = (Date.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    errors,
    req_per_s: latencies.length / seconds,
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
  }) + '\n',
);
