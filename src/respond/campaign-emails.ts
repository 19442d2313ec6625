/**
 * The e-mail half of a campaign: claim a batch, read its addresses through the gate (recorded),
 * send each notice, and record each answer as soon as the relay gives it (accepted → sent,
 * refused → a letter, temporary failure → later). What a crash can leave uncertain is only what was
 * claimed and not yet recorded: those are `sending`, and the next run presents them again.
 */
import type { IncidentRecord } from '../storage/incidents-repo.js';
import type { NoticeRecord } from '../storage/notices-repo.js';
import {
  claimEmails,
  markSent,
  markUndeliverable,
  nextEmailDue,
  retryLater,
  switchToLetters,
} from '../storage/notices-repo.js';
import type { CampaignDeps, CampaignTuning } from './campaign-deps.js';
import type { CampaignFacts } from './notice-facts.js';
import { noticeFacts } from './notice-facts.js';
import { noticePlainText, noticeText } from './notice-text.js';
import { salutationOf } from './postal-address.js';
import type { BreachContact } from './people.js';

/** After this many temporary failures, the notice goes by letter. */
export const MAX_EMAIL_ATTEMPTS = 5;
const RETRY_MS = (attempt: number): number => Math.min(3_600_000, 15_000 * 2 ** attempt);
const FLUSH_MS = 20;
const FLUSH_AT = 100;

/** Records acceptances in small groups, within ~20 ms of the relay's answer. */
class SentMarker {
  #ids: string[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  constructor(private readonly deps: CampaignDeps) {}

  add(id: string): void {
    this.#ids.push(id);
    if (this.#ids.length >= FLUSH_AT) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  async drain(): Promise<void> {
    this.#flush();
    await this.#writing;
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const ids = this.#ids;
    this.#ids = [];
    if (ids.length > 0)
      this.#writing = this.#writing.then(() => markSent(this.deps.store.db, ids, this.deps.clock.now()));
  }
}

const EMAIL_FIELDS = ['civility', 'lastName', 'firstNames', 'email'] as const;

async function sendBatch(
  deps: CampaignDeps,
  facts: CampaignFacts,
  batch: readonly NoticeRecord[],
  marker: SentMarker,
): Promise<void> {
  const contacts = new Map<string, BreachContact>(
    (
      await deps.read(
        batch.map((n) => n.personId),
        EMAIL_FIELDS,
      )
    ).map((c) => [c.id, c.fields]),
  );
  const gone: string[] = [];
  const noEmail: string[] = [];
  const refused: string[] = [];
  const retry: NoticeRecord[] = [];
  await Promise.all(
    batch.map(async (n) => {
      const contact = contacts.get(n.personId);
      if (!contact) return void gone.push(n.id);
      if (!contact.email) return void noEmail.push(n.id);
      const text = noticeText(noticeFacts(deps.keys, deps.settings, facts, n, salutationOf(contact)));
      const outcome = await deps.mailer!.send({
        noticeId: n.id,
        to: contact.email,
        subject: text.subject,
        text: noticePlainText(text),
      });
      if (outcome === 'accepted') marker.add(n.id);
      else if (outcome === 'refused' || n.attempts >= MAX_EMAIL_ATTEMPTS) refused.push(n.id);
      else retry.push(n);
    }),
  );
  await marker.drain();
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (tx) => {
    await markUndeliverable(tx, gone, now);
    await switchToLetters(tx, noEmail, 'no_email', now);
    await switchToLetters(tx, refused, 'refused', now);
    for (const n of retry) await retryLater(tx, [n.id], now + RETRY_MS(n.attempts), now);
  });
}

/** Sends every e-mail of the campaign; returns how many a previous run had left in doubt. */
export async function sendEmails(
  deps: CampaignDeps,
  incident: IncidentRecord,
  facts: CampaignFacts,
  tuning: CampaignTuning,
  report: () => Promise<void>,
): Promise<number> {
  const marker = new SentMarker(deps);
  let inDoubt = 0;
  for (const statuses of [['sending'], ['pending']] as const) {
    for (;;) {
      const batch = await claimEmails(deps.store.db, incident.id, deps.clock.now(), tuning.emailBatch, statuses);
      if (batch.length === 0) {
        if (statuses[0] === 'sending') break;
        const due = await nextEmailDue(deps.store.db, incident.id);
        if (due === null) break;
        await new Promise((r) => setTimeout(r, Math.max(10, Math.min(30_000, due - deps.clock.now()))));
        continue;
      }
      if (statuses[0] === 'sending') inDoubt += batch.length;
      await sendBatch(deps, facts, batch, marker);
      await report();
    }
  }
  return inDoubt;
}
