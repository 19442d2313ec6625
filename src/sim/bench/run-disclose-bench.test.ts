import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TEST_PG_URL } from '../../test-support/stores.js';
import { runDiscloseBench } from './run-disclose-bench.js';
import type { DiscloseBenchResult } from './run-disclose-bench.js';

const FIGURES = [
  'gated_per_s',
  'bare_per_s',
  'ratio',
  'http_req_per_s',
  'http_p99_ms',
  'gated_sequential_per_s',
  'bare_grouped_per_s',
  'gated_cpu_us_per_read',
] as const;

function expectEveryFigure(result: DiscloseBenchResult): void {
  for (const key of FIGURES) expect(result[key], key).toBeGreaterThan(0);
  expect(result.http_errors).toBe(0);
  expect(result.ratio).toBeCloseTo(result.gated_per_s / result.bare_per_s, 1);
}

async function benchSchemas(): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name LIKE 'vigie_bench_%'",
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('vigie bench disclose', () => {
  it('seeds, measures the gate, the bare baseline and HTTP, and reports every figure', async () => {
    expectEveryFigure(await runDiscloseBench({ people: 3000, seconds: 1, concurrency: 8 }));
  });

  it('runs on PostgreSQL in a schema of its own, dropped afterwards', async () => {
    const before = await benchSchemas();
    expectEveryFigure(await runDiscloseBench({ db: TEST_PG_URL, people: 2000, seconds: 1, concurrency: 8 }));
    expect(await benchSchemas()).toBe(before);
  });

  it('creates its SQLite base where asked, removes it afterwards, and never touches an existing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-test-'));
    try {
      const fresh = join(dir, 'bench.db');
      expectEveryFigure(await runDiscloseBench({ db: fresh, people: 2000, seconds: 1, concurrency: 4 }));
      expect(existsSync(fresh)).toBe(false);
      const existing = join(dir, 'existing.db');
      writeFileSync(existing, 'précieux');
      await expect(runDiscloseBench({ db: existing, people: 100, seconds: 1, concurrency: 1 })).rejects.toMatchObject({
        code: 'BENCH.DB_EXISTS',
      });
      expect(existsSync(existing)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
