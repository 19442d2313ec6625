/**
 * Attacks through the public side: job seekers' accounts from infostealer logs (4), a recruiter
 * harvesting profiles and contact details (7), enumeration through the job seeker API (8).
 */
import { lookupByIdentifier, listPortfolio } from '../../services/adviser-people.js';
import { getMyFile, answerContactRequest, listContactRequestsForMe } from '../../services/me.js';
import { requestContact } from '../../services/recruiter-contact-requests.js';
import { searchProfiles } from '../../services/recruiter-profiles.js';
import type { Reader } from '../../disclosure/reader.js';
import { createRng } from '../population/rng.js';
import { contacts, listed } from './personas.js';
import { Actor } from './actor.js';
import type { AttackPlan, AttackStep } from './attack.js';
import { attackerDevice, homeDevice, staffDevice } from './devices.js';
import type { SimEnv } from './env.js';
import { ATTACK_PREFIX, LEGIT_PREFIX } from './env.js';
import { officePerDay, roundTheClock } from './pacing.js';
import type { AttackInput } from './scenario-staff.js';
import type { SeekerAccount } from './world.js';
import { focusAround, idsOf, seekerAccounts } from './world.js';

const REPLAYED_COOKIES = 0.3;

/** 4. Oct 2025: job seekers' passwords and cookies from infostealer logs, replayed from a few networks. */
export async function jobSeekerStuffing(input: AttackInput, agencies: readonly string[]): Promise<AttackPlan> {
  const { env, variant } = input;
  const db = env.store.db;
  const focus = await focusAround(db, agencies.slice(0, 3));
  const near = await seekerAccounts(db, focus.agencies);
  const all = await seekerAccounts(db, await allAgencies(env));
  const victims = [...near, ...all.filter((a) => !near.some((n) => n.id === a.id))];
  const bulk = variant === 'bulk';
  const networks = bulk ? 3 : 20;
  const rng = createRng(`${env.seed}/stuffing`);
  const steps = victims.map((v, i): AttackStep => {
    const actor = new Actor(env, v.id, attackerDevice(i % networks), ATTACK_PREFIX);
    const replay = rng.chance(REPLAYED_COOKIES);
    const before = replay ? () => stealCookie(env, v, actor) : undefined;
    return { actor, action: async (r) => [await getMyFile(env.ctx, r)], ...(before ? { before } : {}) };
  });
  return {
    accounts: () => victims.map((v) => v.id),
    focus,
    start: input.start,
    pace: bulk ? roundTheClock(2, 6) : officePerDay(20),
    multi: true,
    hasFactor: false,
    steps: steps[Symbol.iterator](),
    reachable: async () => victims.map((v) => v.personId),
  };
}

const allAgencies = async (env: SimEnv): Promise<string[]> =>
  idsOf(
    await env.store.db.selectFrom('organisations').select('id').where('kind', '=', 'agency').orderBy('id').execute(),
  );

/** The victim signed in at home earlier; the infostealer copied the cookie, the attacker replays it. */
async function stealCookie(env: SimEnv, victim: SeekerAccount, attacker: Actor): Promise<void> {
  const own = new Actor(env, victim.id, homeDevice(victim.id), LEGIT_PREFIX);
  await own.signIn().catch(() => undefined);
  if (own.token !== null) attacker.useToken(own.token);
}

const seekerReader = (env: SimEnv, personId: string): Reader => ({
  accountId: `sim-candidate-${personId}`,
  role: 'job_seeker',
  organisationId: null,
  organisationKind: null,
  personId,
  sessionRef: null,
  sourceIp: null,
  requestId: env.nextRequestId(LEGIT_PREFIX),
  assurance: 'password',
});

const ACCEPTANCE = 0.2;
const MAX_SEARCHES = 3_000;

/** 7. A recruiter searches every ROME code and département and asks to contact whoever appears. */
export async function recruiterHarvest(input: AttackInput, agencies: readonly string[]): Promise<AttackPlan> {
  const { env, variant } = input;
  const db = env.store.db;
  const focus = await focusAround(db, agencies.slice(0, 3));
  const recruiter = focus.recruiters[0];
  if (!recruiter) throw new Error('simulation: no recruiter');
  const actor = new Actor(env, recruiter.id, staffDevice(recruiter.id, recruiter.organisationId), ATTACK_PREFIX, true);
  const pairs = await db
    .selectFrom('person_rome')
    .select(['rome_code', 'departement'])
    .distinct()
    .orderBy('departement')
    .orderBy('rome_code')
    .limit(MAX_SEARCHES)
    .execute();
  const bulk = variant === 'bulk';
  const rng = createRng(`${env.seed}/harvest`);
  const state = { requested: 0 };
  const ask = async (r: Reader, personId: string, romeCode: string) => {
    const request = await requestContact(env.ctx, r, {
      personId,
      romeCode,
      message: 'Bonjour, un poste correspondant à votre profil est ouvert. Pouvons-nous échanger ?',
    });
    state.requested++;
    if (rng.chance(ACCEPTANCE)) {
      const at = env.clock.now() + rng.int(2, 48) * 3_600_000;
      env.agenda.add(
        at,
        async () =>
          void (await answerContactRequest(env.ctx, seekerReader(env, personId), request.id, 'accepted').catch(
            () => undefined,
          )),
      );
    }
  };
  function* steps(): Generator<AttackStep> {
    for (const [i, pair] of pairs.entries()) {
      const found: string[] = [];
      yield {
        actor,
        action: async (r) => {
          const page = await searchProfiles(env.ctx, r, {
            rome: pair.rome_code,
            departement: pair.departement,
            pageSize: 50,
          });
          found.push(...page.items.map((p) => p.id));
          return listed(env, r, 'candidates', page, { rome: pair.rome_code, departement: pair.departement });
        },
      };
      for (const personId of found.slice(0, bulk ? 5 : 1))
        yield { actor, action: async (r) => (await ask(r, personId, pair.rome_code), []) };
      if (i % POLL_EVERY === POLL_EVERY - 1) yield* poll(env, actor, state);
    }
    // then comes back twice a day for the answers (candidates answer within two days)
    for (let visit = 0; visit < LATE_POLLS; visit++) yield* poll(env, actor, state, 12 * 3_600_000);
  }
  return {
    accounts: () => [recruiter.id],
    focus: { ...focus, recruiters: focus.recruiters },
    start: input.start,
    pace: bulk ? roundTheClock(1, 3) : officePerDay(40),
    multi: false,
    hasFactor: true,
    steps: steps(),
    reachable: async () =>
      idsOf(
        await db
          .selectFrom('contact_requests')
          .select('person_id as id')
          .where('recruiter_id', '=', recruiter.id)
          .where('status', '=', 'accepted')
          .execute(),
      ),
  };
}

const POLL_EVERY = 200;
const POLL_PAGES = 20;
const LATE_POLLS = 6;

/** The recruiter reads its requests (newest first; the last 1,000 while searching, all of them afterwards): accepted ones carry contact details. */
function* poll(env: SimEnv, actor: Actor, state: { requested: number }, waitMs?: number): Generator<AttackStep> {
  const all = Math.max(1, Math.ceil(state.requested / 50));
  const pages = waitMs === undefined ? Math.min(POLL_PAGES, all) : all;
  for (let page = 1; page <= pages; page++) {
    const wait = page === 1 && waitMs !== undefined ? { waitMs } : {};
    yield { actor, action: (r) => contacts(env, r, page), ...wait };
  }
}

const MAX_GUESSES = 5_000;

/** 8. A job seeker's account guessing identifiers and paging past its own data. */
export async function apiEnumeration(input: AttackInput, agencies: readonly string[]): Promise<AttackPlan> {
  const { env, variant } = input;
  const db = env.store.db;
  const focus = await focusAround(db, agencies.slice(0, 3));
  const [own] = await seekerAccounts(db, focus.agencies);
  if (!own) throw new Error('simulation: no job seeker account');
  const actor = new Actor(env, own.id, homeDevice(own.id), ATTACK_PREFIX);
  const others = idsOf(await db.selectFrom('people').select('id').orderBy('id').limit(2_000).execute());
  const rng = createRng(`${env.seed}/enumeration`);
  const reason = 'Vérification de mon dossier';
  const probes: ((r: Reader) => Promise<readonly { masked: boolean }[]>)[] = [
    async (r) => [await getMyFile(env.ctx, r)],
    async (r) => [await env.ctx.gate.discloseOne({ reader: r, purpose: 'self_service', person: rng.pick(others) })],
    async (r) => [await lookupByIdentifier(env.ctx, r, `${String(rng.below(10_000_000)).padStart(7, '0')}A`, reason)],
    async (r) => listed(env, r, 'portfolio', await listPortfolio(env.ctx, r, { page: rng.int(1, 50) })),
    async (r) => (await listContactRequestsForMe(env.ctx, r), []),
  ];
  const steps = Array.from({ length: MAX_GUESSES }, (_, i): AttackStep => ({
    actor,
    action: probes[i % probes.length] ?? probes[0]!,
  }));
  return {
    accounts: () => [own.id],
    focus,
    start: input.start,
    pace: variant === 'bulk' ? roundTheClock(0.5, 2) : officePerDay(40),
    multi: false,
    hasFactor: false,
    steps: steps[Symbol.iterator](),
    reachable: async () => [own.personId],
  };
}
