/**
 * A notification campaign in a process of its own, to be killed (SIGKILL) and started again by
 * src/respond/campaign-crash.test.ts. Bundled by that test; reads its input as JSON in argv[2],
 * prints `done <json>` when the campaign is over.
 */
import { systemClock } from '../domain/clock.js';
import type { Reader } from '../disclosure/reader.js';
import type { CampaignDeps } from '../respond/campaign.js';
import { runCampaign } from '../respond/campaign.js';
import { smtpNoticeMailer } from '../respond/notice-mailer.js';
import { breachReader } from '../services/breach-reader.js';
import { advanceDisclosureLogHead } from '../services/log-heads.js';
import { openStore } from '../storage/database.js';
import { keyringFromDocument } from '../vault/keyring.js';
import type { KeyDocument } from '../vault/keyring.js';

export interface CampaignWorkerInput {
  readonly databaseUrl: string;
  readonly schema?: string;
  readonly keys: KeyDocument;
  readonly incidentId: string;
  readonly officer: { readonly id: string; readonly organisationId: string };
  readonly smtpUrl: string;
  readonly printDir: string;
  readonly emailBatch: number;
  readonly lettersPerFile: number;
}

export const TEST_NOTICE_SETTINGS = {
  verificationUrl: 'https://vigie.example/verification',
  dpoContact: 'France Travail, délégué à la protection des données, 1 avenue du Docteur Gley, 75987 Paris Cedex 20',
  sender: ['France Travail', 'Délégué à la protection des données', '1 avenue du Docteur Gley, 75987 Paris Cedex 20'],
  place: 'Paris',
};

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as CampaignWorkerInput;
  const store = openStore(input.databaseUrl, input.schema ? { schema: input.schema, poolSize: 4 } : {});
  const keys = keyringFromDocument(input.keys);
  const clock = systemClock;
  const reader: Reader = {
    accountId: input.officer.id,
    role: 'security_officer',
    organisationId: input.officer.organisationId,
    organisationKind: 'national',
    personId: null,
    sessionRef: 'campaign-worker',
    sourceIp: null,
    requestId: `worker-${process.pid}`,
    assurance: 'mfa',
  };
  const mailer = smtpNoticeMailer({
    url: input.smtpUrl,
    from: 'France Travail <ne-pas-repondre@vigie.example>',
    domain: 'vigie.example',
    connections: 4,
  });
  const deps: CampaignDeps = {
    store,
    clock,
    sealHead: () => advanceDisclosureLogHead({ store, keys, clock }),
    keys,
    read: breachReader({ store, keys, clock }, reader),
    mailer,
    printDir: input.printDir,
    settings: TEST_NOTICE_SETTINGS,
    tuning: { emailBatch: input.emailBatch, lettersPerFile: input.lettersPerFile, leaseMs: 60_000 },
  };
  try {
    const result = await runCampaign(deps, { accountId: input.officer.id, sourceIp: null }, input.incidentId);
    process.stdout.write(`done ${JSON.stringify(result)}\n`);
  } finally {
    mailer.close();
    await store.close();
  }
}

await main();
