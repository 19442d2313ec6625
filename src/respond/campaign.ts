/**
 * A notification campaign: one notice per person of the scope with an identifying exposure, by
 * e-mail or by letter, exactly once, durably. The outbox (notices) is the campaign's whole state:
 * a run killed at any point is resumed by the next run, which takes the dead runner's lease, sends
 * again (same Message-ID) the e-mails it left `sending`, and writes again, whole, the print file it
 * left half-written. See DESIGN.md, « Exactement une fois ».
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { conflict } from '../domain/errors.js';
import type { NoticeCounts } from '../storage/notices-repo.js';
import { insertNotices, noticeCounts, peopleWithoutNotice } from '../storage/notices-repo.js';
import { appendIncidentEvent, findIncident, setIncidentStatus } from '../storage/incidents-repo.js';
import type { IncidentRecord } from '../storage/incidents-repo.js';
import { addInDoubt, finishLease, findLease, heartbeat, writeLease } from '../storage/notice-campaigns-repo.js';
import { advanceTo, incidentNotFound, requireScoped } from './incident-rules.js';
import { campaignFacts } from './notice-facts.js';
import type { Actor } from './respond-deps.js';
import type { CampaignDeps } from './campaign-deps.js';
import { DEFAULT_TUNING } from './campaign-deps.js';
export type { CampaignDeps, CampaignTuning } from './campaign-deps.js';
import { codeLookupHash, normaliseCode, verificationCodeOf } from './verification-code.js';
import { sendEmails } from './campaign-emails.js';
import { printLetters } from './campaign-letters.js';

export interface CampaignProgress {
  readonly counts: NoticeCounts;
  readonly total: number;
  readonly done: number;
}

export interface CampaignResult extends CampaignProgress {
  /** E-mails a dead run left `sending`, presented again with the same Message-ID. */
  readonly inDoubt: number;
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Creates the notices not created yet (idempotent: one per person and incident). */
async function enqueue(deps: CampaignDeps, incident: IncidentRecord): Promise<number> {
  let created = 0;
  let after: string | null = null;
  for (;;) {
    const people = await peopleWithoutNotice(deps.store.db, incident.id, after, 1_000);
    if (people.length === 0) return created;
    const now = deps.clock.now();
    const notices = people.map((p) => {
      const id = randomUUID();
      return {
        id,
        incidentId: incident.id,
        personId: p.personId,
        channel: incident.lettersOnly ? ('letter' as const) : ('email' as const),
        codeHash: codeLookupHash(deps.keys, normaliseCode(verificationCodeOf(deps.keys, id))!),
        fields: [...new Set(p.fields.split(','))].join(','),
        firstAt: p.firstAt,
        lastAt: p.lastAt,
        fallback: incident.lettersOnly ? ('letters_only' as const) : null,
        at: now,
      };
    });
    await insertNotices(deps.store.db, notices);
    created += notices.length;
    after = people[people.length - 1]!.personId;
  }
}

/** Takes the campaign's lease: CAMPAIGN.RUNNING (409) while a live runner holds it. */
async function takeLease(deps: CampaignDeps, actor: Actor, incidentId: string, runner: string): Promise<void> {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const alive = deps.alive ?? processAlive;
  await deps.store.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    const lease = await findLease(tx, incidentId);
    const running =
      lease !== undefined &&
      lease.finishedAt === null &&
      now - lease.heartbeatAt < tuning.leaseMs &&
      (lease.host !== hostname() || alive(lease.pid));
    if (running)
      throw conflict('CAMPAIGN.RUNNING', 'Une campagne de notification est déjà en cours pour cet incident.');
    await writeLease(tx, {
      incidentId,
      runner,
      pid: process.pid,
      host: hostname(),
      heartbeatAt: now,
      startedAt: now,
      startedBy: actor.accountId,
      finishedAt: null,
      inDoubt: lease?.inDoubt ?? 0,
    });
  });
}

async function markStarted(deps: CampaignDeps, actor: Actor, incident: IncidentRecord, created: number): Promise<void> {
  await deps.store.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    const current = await findIncident(tx, incident.id);
    if (!current) throw incidentNotFound();
    const status = advanceTo(current.status, 'notifying');
    if (status !== current.status) await setIncidentStatus(tx, incident.id, current.status, status, now);
    await appendIncidentEvent(tx, {
      incidentId: incident.id,
      at: now,
      accountId: actor.accountId,
      sourceIp: actor.sourceIp,
      action: 'notification_started',
      details: { created },
    });
  });
}

export const progressOf = (counts: NoticeCounts): CampaignProgress => {
  const all = [...Object.values(counts.email), ...Object.values(counts.letter)].reduce((a, b) => a + (b ?? 0), 0);
  const done =
    (counts.email.sent ?? 0) +
    (counts.letter.printed ?? 0) +
    (counts.letter.undeliverable ?? 0) +
    (counts.email.undeliverable ?? 0);
  return { counts, total: all, done };
};

/**
 * Runs (or resumes) the incident's campaign to the end: notices created, e-mails sent, letters
 * printed. INCIDENT.NOT_SCOPED, INCIDENT.CLOSED, CAMPAIGN.RUNNING (409).
 */
export async function runCampaign(
  deps: CampaignDeps,
  actor: Actor,
  incidentId: string,
  onProgress: (p: CampaignProgress) => void = () => undefined,
): Promise<CampaignResult> {
  const incident = await findIncident(deps.store.db, incidentId);
  if (!incident) throw incidentNotFound();
  requireScoped(incident.status);
  const runner = randomUUID();
  await takeLease(deps, actor, incidentId, runner);
  const created = await enqueue(deps, incident);
  await markStarted(deps, actor, incident, created);
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const facts = await campaignFacts(deps.store.db, incident);
  const report = async () => {
    if (!(await heartbeat(deps.store.db, incidentId, runner, deps.clock.now())))
      throw conflict('CAMPAIGN.TAKEN_OVER', 'Une autre exécution a repris cette campagne.');
    onProgress(progressOf(await noticeCounts(deps.store.db, incidentId)));
  };
  await report();
  const inDoubt = deps.mailer ? await sendEmails(deps, incident, facts, tuning, report) : 0;
  await addInDoubt(deps.store.db, incidentId, inDoubt);
  await printLetters(deps, incident, facts, tuning, report);
  const final = progressOf(await noticeCounts(deps.store.db, incidentId));
  await deps.store.db.transaction().execute(async (tx) => {
    await finishLease(tx, incidentId, runner, deps.clock.now());
    await appendIncidentEvent(tx, {
      incidentId,
      at: deps.clock.now(),
      accountId: actor.accountId,
      sourceIp: actor.sourceIp,
      action: 'notification_finished',
      details: {
        emails: final.counts.email.sent ?? 0,
        letters: final.counts.letter.printed ?? 0,
        undeliverable: (final.counts.letter.undeliverable ?? 0) + (final.counts.email.undeliverable ?? 0),
        inDoubt,
      },
    });
  });
  onProgress(final);
  return { ...final, inDoubt: (await findLease(deps.store.db, incidentId))?.inDoubt ?? 0 };
}
