/**
 * The letter half of a campaign: print files of up to 1,000 letters, each claimed with its notices
 * in one transaction, written under a temporary name, flushed to disk, renamed, then completed in
 * the database. A run that dies leaves the batch `writing`; the next run writes it again, whole,
 * under the same name: every notice ends in exactly one complete print file. Within a file,
 * letters are in postal-code order (the printer's and La Poste's presort), with a manifest.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncidentRecord } from '../storage/incidents-repo.js';
import type { BatchRecord } from '../storage/notice-batches-repo.js';
import { batchNoticeIds, claimBatch, completeBatch, unfinishedBatches } from '../storage/notice-batches-repo.js';
import { noticesByIds } from '../storage/notices-repo.js';
import type { NoticeRecord } from '../storage/notices-repo.js';
import { randomUUID } from 'node:crypto';
import type { CampaignDeps, CampaignTuning } from './campaign-deps.js';
import { PrintFile } from './letter-pdf.js';
import type { CampaignFacts } from './notice-facts.js';
import { noticeFacts } from './notice-facts.js';
import { frenchDate, noticeText } from './notice-text.js';
import { postalBlock, salutationOf } from './postal-address.js';
import type { BreachContact } from './people.js';

const LETTER_FIELDS = ['civility', 'lastName', 'firstNames', 'addressLine', 'postalCode', 'communeName'] as const;

interface Printable {
  readonly notice: NoticeRecord;
  readonly contact: BreachContact;
  readonly address: string[];
}

export interface ManifestEntry {
  readonly position: number;
  readonly notice: string;
  readonly firstPage: number;
  readonly pages: number;
  readonly postalCode: string;
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const sha256Of = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });

async function printables(deps: CampaignDeps, batch: BatchRecord): Promise<{ ok: Printable[]; none: string[] }> {
  const notices = await noticesByIds(deps.store.db, await batchNoticeIds(deps.store.db, batch.id));
  const contacts = new Map(
    (
      await deps.read(
        notices.map((n) => n.personId),
        LETTER_FIELDS,
      )
    ).map((c) => [c.id, c.fields]),
  );
  const ok: Printable[] = [];
  const none: string[] = [];
  for (const notice of notices) {
    const contact = contacts.get(notice.personId);
    const address = contact ? postalBlock(contact) : null;
    if (contact && address) ok.push({ notice, contact, address });
    else none.push(notice.id);
  }
  const key = (p: Printable) => `${p.contact.postalCode ?? ''}/${p.notice.id}`;
  ok.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return { ok, none };
}

async function writeBatch(
  deps: CampaignDeps,
  incident: IncidentRecord,
  facts: CampaignFacts,
  batch: BatchRecord,
): Promise<void> {
  const { ok, none } = await printables(deps, batch);
  const path = join(deps.printDir, batch.file);
  const print = new PrintFile(createWriteStream(`${path}.part`), {
    title: `${incident.reference} — lot ${batch.number}`,
  });
  const place = `${deps.settings.place}, le ${frenchDate(deps.clock.now())}`;
  const entries: ManifestEntry[] = [];
  for (const [i, p] of ok.entries()) {
    const firstPage = print.pages + 1;
    const text = noticeText(noticeFacts(deps.keys, deps.settings, facts, p.notice, salutationOf(p.contact)));
    const pages = print.add({
      address: p.address,
      sender: deps.settings.sender,
      place,
      reference: `${incident.reference} · ${p.notice.id.slice(0, 8)}`,
      text,
    });
    entries.push({ position: i + 1, notice: p.notice.id, firstPage, pages, postalCode: p.contact.postalCode ?? '' });
  }
  await print.end();
  await fsyncPath(`${path}.part`);
  await rename(`${path}.part`, path);
  const sha256 = await sha256Of(path);
  const manifest = {
    incident: incident.reference,
    batch: batch.number,
    file: batch.file,
    letters: entries.length,
    pages: print.pages,
    sha256,
    entries,
  };
  await writeFile(`${path}.json.part`, JSON.stringify(manifest, null, 1));
  await fsyncPath(`${path}.json.part`);
  await rename(`${path}.json.part`, `${path}.json`);
  await fsyncPath(deps.printDir);
  await deps.store.db
    .transaction()
    .execute((tx) =>
      completeBatch(
        tx,
        batch.id,
        { pages: print.pages, sha256, printed: ok.map((p) => p.notice.id), undeliverable: none },
        deps.clock.now(),
      ),
    );
}

export async function printLetters(
  deps: CampaignDeps,
  incident: IncidentRecord,
  facts: CampaignFacts,
  tuning: CampaignTuning,
  report: () => Promise<void>,
): Promise<void> {
  mkdirSync(deps.printDir, { recursive: true });
  for (const batch of await unfinishedBatches(deps.store.db, incident.id)) {
    await writeBatch(deps, incident, facts, batch);
    await report();
  }
  for (;;) {
    const batch = await deps.store.db
      .transaction()
      .execute((tx) => claimBatch(tx, incident.id, randomUUID(), tuning.lettersPerFile, deps.clock.now()));
    if (batch === null) return;
    await writeBatch(deps, incident, facts, batch);
    await report();
  }
}
