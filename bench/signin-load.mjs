/* global setInterval, clearInterval */
// Sign-in load for `npm run bench:signin`, run as its own process so that it does not share the
// server's event loop. Reads JSON on stdin:
//   { mode: 'attack', origin, rate, warmupMs, durationMs, logins, networks }
//     open loop: `rate` failed sign-ins per second whatever the answers, wrong passwords on real and
//     unknown logins, each from an address of `networks` /24s (X-Forwarded-For: the bench server
//     trusts the proxy header, production does not unless configured);
//   { mode: 'legit', origin, warmupMs, durationMs, users: [{ login, password }], thinkMs }
//     closed loop: each client signs in with the right password from a fresh clean address, waits,
//     and again (a new browser each time: no trusted-device cookie, the hardest case).
// Prints one JSON line of figures. Loopback only.
import http from 'node:http';

const input = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (c) => (text += c)).on('end', () => resolve(text));
  }),
);
const target = new URL(input.origin);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');
const agent = new http.Agent({ keepAlive: true, maxSockets: input.mode === 'attack' ? 512 : 16 });
const started = Date.now();
const measuring = () => {
  const t = Date.now() - started;
  return t >= input.warmupMs && t < input.warmupMs + input.durationMs;
};

function signIn(login, password, ip) {
  const body = JSON.stringify({ login, password });
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: '/api/auth/login',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-forwarded-for': ip,
          'user-agent': 'bench',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - t0) / 1e6,
            code:
              res.statusCode === 200
                ? 'ok'
                : `${text.match(/"code":"([^"]+)"/)?.[1] ?? '?'}/${res.headers['retry-after'] ?? ''}`,
          }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(body);
  });
}

const pick = (n) => Math.floor(Math.random() * n);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function attack() {
  const statuses = {};
  let sent = 0;
  let inFlight = 0;
  let skipped = 0;
  const address = () => {
    const n = pick(input.networks);
    return `10.${n >> 8}.${n & 255}.${1 + pick(254)}`;
  };
  const fire = () => {
    if (inFlight >= 4000) return void (measuring() && skipped++);
    const login = Math.random() < 0.8 ? input.logins[pick(input.logins.length)] : `inconnu${pick(1e9)}@exemple.fr`;
    const counted = measuring();
    if (counted) sent++;
    inFlight++;
    void signIn(login, `motdepasse${pick(1e6)}`, address()).then(({ status }) => {
      inFlight--;
      if (counted) statuses[status] = (statuses[status] ?? 0) + 1;
    });
  };
  const tickMs = 10;
  let fired = 0;
  const end = started + input.warmupMs + input.durationMs;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      // Due by the clock, not by the tick count: a late tick catches up, so the rate holds.
      const due = Math.floor((input.rate * (Date.now() - started)) / 1000);
      for (; fired < due; fired++) fire();
      if (Date.now() >= end) {
        clearInterval(timer);
        resolve();
      }
    }, tickMs);
  });
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  const seconds = input.durationMs / 1000;
  const answered = Object.entries(statuses)
    .filter(([s]) => s === '401' || s === '429')
    .reduce((n, [, c]) => n + c, 0);
  return { sent_per_s: sent / seconds, failed_per_s: answered / seconds, statuses, skipped };
}

async function legit() {
  const latencies = [];
  const codes = {};
  let ok = 0;
  let total = 0;
  const end = started + input.warmupMs + input.durationMs;
  let next = 0;
  // Each sign-in comes from its own address (many people, each signing in now and then), spread over
  // many /24s that no attacker uses.
  const address = () => {
    const n = next++;
    return `172.${16 + (n % 16)}.${(n >> 4) & 255}.${10 + ((n >> 12) % 200)}`;
  };
  await Promise.all(
    input.users.map(async (user) => {
      while (Date.now() < end) {
        const counted = measuring();
        const { status, ms, code } = await signIn(user.login, user.password, address());
        if (counted) {
          total++;
          codes[code] = (codes[code] ?? 0) + 1;
          if (status === 200) ok++;
          latencies.push(ms);
        }
        await new Promise((r) => setTimeout(r, input.thinkMs));
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    attempts: total,
    success_rate: total === 0 ? 0 : ok / total,
    p50_ms: pct(latencies, 0.5),
    p99_ms: pct(latencies, 0.99),
    max_ms: latencies.at(-1) ?? 0,
    codes,
  };
}

const result = input.mode === 'attack' ? await attack() : await legit();
process.stdout.write(JSON.stringify(result) + '\n');
agent.destroy();
