/** What a notification campaign runs with (campaign.ts). */
import type { KeyringSource } from '../vault/keyring.js';
import type { NoticeMailer } from './notice-mailer.js';
import type { NoticeSettings } from './notice-facts.js';
import type { PeopleReader } from './people.js';
import type { RespondDeps } from './respond-deps.js';

export interface CampaignDeps extends RespondDeps {
  readonly keys: KeyringSource;
  /** The gate, bound to the officer running the campaign (every address read is recorded). */
  readonly read: PeopleReader;
  /** Null without a relay: every notice then goes by letter. */
  readonly mailer: NoticeMailer | null;
  /** Folder of the incident's print files. */
  readonly printDir: string;
  readonly settings: NoticeSettings;
  readonly tuning?: Partial<CampaignTuning>;
  /** Whether a process of this host is alive (a dead runner's lease is taken over at once). */
  readonly alive?: (pid: number) => boolean;
}

export interface CampaignTuning {
  /** E-mails claimed at a time (one gate read each). */
  readonly emailBatch: number;
  /** Letters per print file. */
  readonly lettersPerFile: number;
  /** A runner silent for this long is taken over even on another host. */
  readonly leaseMs: number;
}

export const DEFAULT_TUNING: CampaignTuning = { emailBatch: 200, lettersPerFile: 1_000, leaseMs: 60_000 };
