/**
 * One scenario run on its own copy of the seeded database: the defence is built on the copy, the
 * legitimate population plans its days at each Paris midnight (after the defence's nightly
 * learning), the attack starts on the first working day past the middle of the period, and the
 * figures are read back from the disclosure log.
 */
import { performance } from 'node:perf_hooks';
import type { IsoDate } from '../../domain/dates.js';
import { addDays } from '../../domain/dates.js';
import { manualClock } from '../../domain/clock.js';
import { openStore } from '../../storage/database.js';
import type { KeyringSource } from '../../vault/keyring.js';
import { AttackRun } from './attack.js';
import { atParis, isWorkingDay } from './calendar.js';
import { createEnv } from './env.js';
import type { SimEnv } from './env.js';
import type { LegitTraffic } from './legit.js';
import { canaryFigures, canaryIds } from './canaries.js';
import { attribute, measureExposure } from './measure.js';
import { legitPopulation } from './population.js';
import { attackPlan } from './scenarios.js';
import type { Db } from '../../storage/database.js';
import type { DefenceFactory, Progress, ScenarioName, ScenarioResult, Variant } from './types.js';

/** The simulated period starts on Monday 2 November 2026 (Armistice day, 11 November, falls inside). */
export const SIM_START_DATE: IsoDate = '2026-11-02';
export const simStart = (): number => atParis(SIM_START_DATE, 0);

export interface RunInput {
  readonly file: string;
  readonly keys: KeyringSource;
  readonly name: ScenarioName;
  readonly variant: Variant;
  readonly days: number;
  readonly seed: string;
  readonly defence: DefenceFactory;
  readonly onProgress?: (p: Progress) => void;
}

/** The first working day on or after the middle of the period (day 1 at least). */
export function attackDate(days: number): IsoDate {
  let date = addDays(SIM_START_DATE, Math.max(1, Math.floor(days / 2)));
  while (!isWorkingDay(date)) date = addDays(date, 1);
  return date;
}

function scheduleDays(env: SimEnv, traffic: LegitTraffic, days: number): void {
  for (let d = 0; d < days; d++) {
    const date = addDays(SIM_START_DATE, d);
    env.agenda.add(atParis(date, 0), async () => {
      if (d > 0) await env.defence.nightly?.(env.clock.now());
      traffic.planDay(date);
    });
    const hourly = env.defence.hourly;
    if (hourly) for (let h = 1; h < 24; h++) env.agenda.add(atParis(date, h * 60), () => hourly(env.clock.now()));
  }
}

/** Canaries legitimate requests asked for: disclosed to them, or refused by the canary rule. */
async function legitCanaries(db: Db): Promise<number> {
  const canaries = await canaryIds(db);
  if (canaries.size === 0) return 0;
  const rows = await db
    .selectFrom('disclosures')
    .select('person_id')
    .distinct()
    .where('request_id', 'like', 'sim-l-%')
    .where('person_id', 'in', [...canaries])
    .execute();
  const refused = await db
    .selectFrom('detection_decisions')
    .select('seq')
    .where('request_id', 'like', 'sim-l-%')
    .where('rule', '=', 'canary')
    .execute();
  return rows.length + refused.length;
}

export async function runScenario(input: RunInput): Promise<ScenarioResult> {
  const started = performance.now();
  const store = openStore(input.file);
  const start = simStart();
  const clock = manualClock(start);
  const defence = await input.defence({ store, keys: input.keys, clock });
  try {
    const env = createEnv(store, input.keys, clock, defence, `${input.seed}/${input.name}/${input.variant}`);
    await defence.prepare?.(start);
    const today = attackDate(input.days);
    const plan = await attackPlan(input.name, { env, variant: input.variant, start: atParis(today, 10 * 60), today });
    const traffic = await legitPopulation(env, plan.focus, {
      from: SIM_START_DATE,
      to: addDays(SIM_START_DATE, input.days - 1),
    });
    scheduleDays(env, traffic, input.days);
    const attack = new AttackRun(env, plan, `${input.seed}/${input.name}/${input.variant}`);
    traffic.collateral = (accountId, code) =>
      attack.containedAt !== null && (plan.accounts().includes(accountId) || /CHANNEL/.test(code));
    attack.begin();
    const end = atParis(addDays(SIM_START_DATE, input.days), 0);
    const label = `${input.name} ${input.variant}`;
    let last = start;
    await env.agenda.runUntil(
      end,
      (t) => clock.set(t),
      (t) => {
        if (t - last < 3_600_000) return;
        last = t;
        input.onProgress?.({
          phase: 'simulate',
          label,
          done: Math.floor((t - start) / 3_600_000),
          total: Math.round((end - start) / 3_600_000),
        });
      },
    );
    await defence.flush?.();
    const since = attack.firstAt ?? end;
    const exposure = await measureExposure(store.db, plan.accounts(), since);
    const reach = await plan.reachable();
    const reachSet = reach && new Set(reach);
    const leaked = [...exposure.exposed];
    const attribution = plan.attribute ? await attribute(store.db, defence, leaked) : undefined;
    return {
      name: input.name,
      variant: input.variant,
      exposed_people: exposure.exposed.size,
      exposed_beyond_holder: exposure.beyondHolder,
      seconds_to_containment: attack.secondsToContainment(),
      stopped_by: attack.stoppedBy,
      attacker_requests: attack.requests,
      reachable: reach?.length ?? null,
      within_reach: reachSet ? leaked.every((p) => reachSet.has(p)) : null,
      ...(await canaryFigures(store.db, plan.accounts(), since, exposure.exposed)),
      ...(attribution ? { attribution } : {}),
      legitimate: { ...traffic.figures(), canaries_reached: await legitCanaries(store.db) },
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await defence.close?.();
    await store.close();
  }
}
