import { describe, expect, it } from 'vitest';
import { runDiscloseBench } from './run-disclose-bench.js';

describe('vigie bench disclose', () => {
  it('seeds, measures the gate, the bare baseline and HTTP, and reports every figure', async () => {
    const result = await runDiscloseBench({ people: 3000, seconds: 1, concurrency: 8 });
    for (const key of ['gated_per_s', 'bare_per_s', 'ratio', 'http_req_per_s', 'http_p99_ms', 'gated_sequential_per_s', 'bare_grouped_per_s', 'gated_cpu_us_per_read'] as const) {
      expect(result[key], key).toBeGreaterThan(0);
    }
    expect(result.http_errors).toBe(0);
    expect(result.ratio).toBeCloseTo(result.gated_per_s / result.bare_per_s, 1);
  });
});
