/**
 * A separate API process for the shared-budget test: its own store connection, detection instance
 * (counters in Redis) and gate; it reads people for one credential and prints which ones it received
 * with identifying fields. Bundled and spawned by src/detect/redis-budget.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createGate } from '../disclosure/gate.js';
import { createDetection } from '../detect/detection.js';
import { manualClock } from '../domain/clock.js';
import { isAppError } from '../domain/errors.js';
import { openStore } from '../storage/database.js';
import { parseKeyring } from '../vault/keyring.js';

export interface WorkerInput {
  readonly databaseUrl: string;
  readonly schema?: string;
  readonly keys: string;
  readonly redis: { url: string; prefix: string } | null;
  readonly now: number;
  readonly accountId: string;
  readonly organisationId: string;
  readonly people: readonly string[];
  readonly batch: number;
}

export interface WorkerOutput {
  readonly identified: string[];
  readonly masked: number;
  readonly refused: Record<string, number>;
}

async function run(input: WorkerInput): Promise<WorkerOutput> {
  const store = openStore(input.databaseUrl, input.schema ? { schema: input.schema, poolSize: 4 } : {});
  const clock = manualClock(input.now);
  const detection = createDetection({ store, clock, redis: input.redis });
  const gate = createGate({ store, keys: parseKeyring(input.keys), clock, budget: detection.hook });
  const reader = {
    accountId: input.accountId,
    role: 'trainer' as const,
    organisationId: input.organisationId,
    organisationKind: 'training' as const,
    personId: null,
    sessionRef: null,
    sourceIp: '10.0.0.1',
    assurance: 'mfa' as const,
  };
  const out = { identified: [] as string[], masked: 0, refused: {} as Record<string, number> };
  // Warm-up: the budget step loads the account (a non-identifying question counts nobody).
  await store.atomic((q) =>
    detection.hook.assess(
      {
        reader: { ...reader, requestId: 'warm-up' },
        purpose: 'training_followup',
        people: [],
        fields: ['status'],
        now: input.now,
      },
      q,
    ),
  );
  // Ready: wait for the parent's go (one line on stdin), so that both processes read at the same time.
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  for (let i = 0; i < input.people.length; i += input.batch) {
    try {
      const people = await gate.disclose({
        reader: { ...reader, requestId: randomUUID() },
        purpose: 'training_followup',
        people: input.people.slice(i, i + input.batch),
      });
      for (const p of people)
        if (p.masked) out.masked++;
        else if (p.fields.lastName !== undefined) out.identified.push(p.id);
    } catch (e) {
      const code = isAppError(e) ? e.code : String(e);
      out.refused[code] = (out.refused[code] ?? 0) + 1;
    }
  }
  await detection.close();
  await store.close();
  return out;
}

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
run(input).then(
  (out) => process.stdout.write(JSON.stringify(out)),
  (error: unknown) => {
    process.stderr.write(String(error instanceof Error ? error.stack : error));
    process.exitCode = 1;
  },
);
