/**
 * Throughput of the gate with the budget step on, in process on SQLite (run with VIGIE_BENCH=1):
 * disclosures per second of wall time, and per second of this process's CPU time (the figure that
 * does not depend on what else the machine runs). The budget step's fast path runs no query.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGate } from '../disclosure/gate.js';
import type { Gate } from '../disclosure/types.js';
import { throughput } from '../sim/bench/disclose-bench.js';
import {
  addAccount,
  addOrganisation,
  addPeople,
  DETECT_START,
  openDetectionFixture,
  readerOf,
} from '../test-support/detection-fixtures.js';
import { sessionsStartOn } from './test-sessions.js';
import { createDetection } from './detection.js';

const SECONDS = Number(process.env['VIGIE_BENCH_SECONDS'] ?? 3);

async function measure(op: (i: number) => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  await throughput({ durationMs: SECONDS * 1000, concurrency: 64 }, (i) => op(i).then(() => void done++));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall: Math.round(done / elapsed), cpu: Math.round(done / ((cpu.user + cpu.system) / 1e6)) };
}

describe.skipIf(!process.env['VIGIE_BENCH'])('gate throughput with detection (SQLite, in process)', () => {
  it('keeps at least 20,000 disclosures a second', async () => {
    const f = await openDetectionFixture('sqlite');
    const agency = await addOrganisation(f.store.db, 'agency');
    const training = await addOrganisation(f.store.db, 'training');
    const trainees = await addPeople(f, agency, 2_000, { trainingOrg: training });
    await sessionsStartOn(f.store.db, training, '2026-03-06');
    const trainers = await Promise.all(Array.from({ length: 20 }, () => addAccount(f.store.db, 'trainer', training)));
    await f.detection.recomputeBaselines(); // reachable 2,000, portfolio 2,000: a day's reading of everyone fits
    const readers = trainers.map((t) => readerOf(t, { sessionRef: 'bench', assurance: 'mfa' }));
    // Each trainer works with its own 50 trainees (within its pace of 60 distinct people a minute: the clock stands still).
    const op = (gate: Gate) => (i: number) => {
      const k = i % readers.length;
      return gate.discloseOne({
        reader: { ...readers[k]!, requestId: randomUUID() },
        purpose: 'training_followup',
        person: trainees[k * 50 + ((i * 7) % 50)]!,
      });
    };
    const plain = createGate({ store: f.store, keys: f.keys, clock: f.clock });
    const redis = createDetection({
      store: f.store,
      clock: f.clock,
      redis: { url: 'redis://127.0.0.1:6379', prefix: `vigie-bench:${randomUUID()}:` },
    });
    const viaRedis = createGate({ store: f.store, keys: f.keys, clock: f.clock, budget: redis.hook });
    await measure(op(f.gate)); // warm-up (JIT, statement cache, every account loaded)
    const results = {
      plain: await measure(op(plain)),
      detection: await measure(op(f.gate)),
      redis: await measure(op(viaRedis)),
    };
    console.log(JSON.stringify({ at: new Date(DETECT_START).toISOString(), seconds: SECONDS, ...results }));
    await f.detection.flush();
    expect(await f.store.db.selectFrom('detection_decisions').select('seq').execute()).toHaveLength(0); // all allowed
    expect(results.detection.cpu).toBeGreaterThanOrEqual(20_000);
    await redis.close();
    await f.dispose();
  }, 120_000);
});
