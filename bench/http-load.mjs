// A small closed-loop HTTP load generator, run as its own process so that it does not share the
// server's event loop. Reads {origin, paths, headers, concurrency, durationMs, warmupMs} as JSON on
// stdin; prints {"requests","errors","req_per_s","p50_ms","p99_ms"} on stdout. Loopback only.
import http from 'node:http';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (c) => (text += c)).on('end', () => resolve(text));
}));
const target = new URL(input.origin);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');
const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
const latencies = [];
let errors = 0;
let next = 0;
let measuring = false;

const once = (path) => new Promise((resolve) => {
  const started = process.hrtime.bigint();
  const req = http.request({ host: target.hostname, port: target.port, path, agent, headers: input.headers }, (res) => {
    res.resume();
    res.on('end', () => {
      if (measuring) {
        if (res.statusCode !== 200) errors++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      resolve();
    });
  });
  req.on('error', () => { if (measuring) errors++; resolve(); });
  req.end();
});

const loop = async (until) => { while (Date.now() < until) await once(input.paths[next++ % input.paths.length]); };
const run = (ms) => Promise.all(Array.from({ length: input.concurrency }, () => loop(Date.now() + ms)));

await run(input.warmupMs);
measuring = true;
const t0 = Date.now();
await run(input.durationMs);
const seconds = (Date.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(JSON.stringify({ requests: latencies.length, errors, req_per_s: latencies.length / seconds, p50_ms: pct(0.5), p99_ms: pct(0.99) }) + '\n');
agent.destroy();
