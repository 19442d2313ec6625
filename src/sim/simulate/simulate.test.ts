import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, removeSqliteFiles } from '../../storage/database.js';
import { runScenario } from './run-scenario.js';
import type { Snapshot } from './simulate.js';
import { runAll, seedSnapshot } from './simulate.js';
import { canariesOnly, detection, undefended } from './defences.js';
import type { ScenarioResult, SimulateOptions } from './types.js';
import { SCENARIOS } from './types.js';

const PEOPLE = 3_000;
const DAYS = 3;
const SEED = 'simulate-test';
const options = (over: Partial<SimulateOptions> = {}): SimulateOptions => ({
  scenarios: SCENARIOS,
  variants: ['bulk', 'quiet'],
  people: PEOPLE,
  days: DAYS,
  seed: SEED,
  defence: undefended,
  ...over,
});
const withoutTimings = (r: ScenarioResult) => ({ ...r, seconds: 0 });

/** Scenarios whose bulk variant reaches many people's identities when nothing stops it. */
const BULK_EXPOSING = [
  'training-credential',
  'partner-takeover',
  'created-accounts',
  'job-seeker-stuffing',
  'insider-export',
  'subcontractor-file',
];

describe('vigie simulate, undefended (unlimitedBudget)', () => {
  let snapshot: Snapshot;
  let results: ScenarioResult[];
  beforeAll(async () => {
    snapshot = await seedSnapshot(PEOPLE, SEED);
    results = (await runAll(snapshot, options())).results;
  }, 600_000);
  afterAll(() => snapshot.dispose());

  it('reports sane figures for every scenario and variant', () => {
    expect(results.map((r) => `${r.name}/${r.variant}`)).toEqual(SCENARIOS.flatMap((s) => [`${s}/bulk`, `${s}/quiet`]));
    for (const r of results) {
      expect(r.exposed_beyond_holder).toBeLessThanOrEqual(r.exposed_people);
      expect(r.within_reach).not.toBe(false);
      if (r.reachable !== null && r.name !== 'recruiter-harvest')
        expect(r.exposed_people).toBeLessThanOrEqual(r.reachable);
      expect(r.seconds_to_containment).toBeNull();
      expect(r.attacker_requests).toBeGreaterThan(0);
      expect(r.legitimate.account_days).toBeGreaterThan(20);
      expect(r.legitimate.hard_blocks + r.legitimate.step_ups).toBe(0);
    }
  });

  it('measures something: undefended bulk attacks expose far more than 25 people', () => {
    for (const r of results.filter((x) => x.variant === 'bulk' && BULK_EXPOSING.includes(x.name))) {
      expect(r.exposed_people, r.name).toBeGreaterThan(25);
    }
    const enumeration = results.find((r) => r.name === 'api-enumeration' && r.variant === 'bulk');
    expect(enumeration?.exposed_people).toBe(1); // the policy alone: a job seeker sees only themselves
  });

  it('plants canaries that bulk reading reaches and legitimate traffic never does', async () => {
    const store = openStore(snapshot.file);
    const planted = await store.db.selectFrom('canaries').select(['placement']).execute();
    await store.close();
    expect(planted.some((c) => c.placement === 'agency') && planted.some((c) => c.placement === 'training')).toBe(true);
    for (const r of results) expect(r.legitimate.canaries_reached, `${r.name}/${r.variant}`).toBe(0);
    const training = results.find((r) => r.name === 'training-credential' && r.variant === 'bulk');
    expect(training?.canaries_reached).toBeGreaterThan(0); // every trainee, the finished session's canary too
    expect(training?.canary_disclosures).toBe(training?.canaries_reached);
    expect(training?.canaries_contained).toBe(false); // nothing contains it without detection
  });

  it('is deterministic for a seed', async () => {
    const again = (
      await runAll(
        snapshot,
        options({ scenarios: ['training-credential', 'job-seeker-stuffing'], variants: ['quiet'] }),
      )
    ).results;
    const before = results.filter(
      (r) => r.variant === 'quiet' && ['training-credential', 'job-seeker-stuffing'].includes(r.name),
    );
    expect(again.map(withoutTimings)).toEqual(before.map(withoutTimings));
  }, 300_000);

  it('counts as exposed exactly the distinct people in the attacker’s disclosure rows with identifying fields', async () => {
    const file = snapshot.copy(99);
    const result = await runScenario({
      file,
      keys: snapshot.keys,
      name: 'partner-takeover',
      variant: 'bulk',
      days: DAYS,
      seed: SEED,
      defence: undefended,
    });
    const store = openStore(file);
    const { rows } = await sql<{ n: number }>`
      select count(distinct person_id) as n from disclosures
      where request_id like 'sim-a-%' and (',' || fields || ',' like '%,lastName,%' or ',' || fields || ',' like '%,identifier,%')`.execute(
      store.db,
    );
    await store.close();
    removeSqliteFiles(file);
    expect(result.exposed_people).toBeGreaterThan(0);
    expect(result.exposed_people).toBe(Number(rows[0]?.n));
  }, 120_000);

  it('with createDetection, bulk attacks are contained and expose fewer people than undefended', async () => {
    const names = ['partner-takeover', 'insider-export'] as const;
    const defended = (await runAll(snapshot, options({ scenarios: names, variants: ['bulk'], defence: detection })))
      .results;
    for (const r of defended) {
      const open = results.find((x) => x.name === r.name && x.variant === 'bulk');
      expect(r.seconds_to_containment, r.name).not.toBeNull();
      expect(r.exposed_people, r.name).toBeLessThan(open?.exposed_people ?? 0);
      expect(r.within_reach).not.toBe(false);
    }
  }, 300_000);

  it('with the canaries alone, a bulk reader is contained at the first canary, which it never receives', async () => {
    const [r] = (
      await runAll(snapshot, options({ scenarios: ['training-credential'], variants: ['bulk'], defence: canariesOnly }))
    ).results;
    const open = results.find((x) => x.name === 'training-credential' && x.variant === 'bulk');
    expect(r?.canaries_reached).toBeGreaterThan(0);
    expect(r?.canary_disclosures).toBe(0);
    expect(r?.canaries_contained).toBe(true);
    expect(r?.stopped_by).toBe('DETECT.CREDENTIAL_SUSPENDED');
    expect(r?.exposed_people ?? Infinity).toBeLessThan(open?.exposed_people ?? 0);
  }, 300_000);
});
