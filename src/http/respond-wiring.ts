/**
 * The notification campaign wired to the configuration, for the API and the CLI alike: the gate
 * bound to the officer (every address read recorded), the SMTP relay, the print folder, the
 * notices' settings. Without a relay, only an incident that asks for letters can be notified.
 */
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Reader } from '../disclosure/reader.js';
import { AppError } from '../domain/errors.js';
import type { CampaignDeps, CampaignTuning } from '../respond/campaign.js';
import type { NoticeSettings } from '../respond/notice-facts.js';
import { smtpNoticeMailer } from '../respond/notice-mailer.js';
import { breachReader } from '../services/breach-reader.js';
import type { AppContext } from '../services/context.js';
import { advanceDisclosureLogHead } from '../services/log-heads.js';
import type { IncidentRecord } from '../storage/incidents-repo.js';

export const noticeSettingsOf = (config: Config): NoticeSettings => ({
  verificationUrl: `${config.identity.publicUrl.replace(/\/$/, '')}/verification`,
  dpoContact: config.respond.dpoContact,
  sender: [
    'France Travail',
    'Délégué à la protection des données',
    config.respond.dpoContact.replace(/^France Travail, délégué à la protection des données, /i, ''),
  ],
  place: 'Paris',
});

export function campaignDepsOf(
  ctx: Pick<AppContext, 'store' | 'keys' | 'clock'>,
  config: Config,
  reader: Reader,
  incident: IncidentRecord,
  tuning: Partial<CampaignTuning> = {},
): CampaignDeps {
  const smtp = config.identity.mail.smtpUrl;
  if (smtp === null && !incident.lettersOnly)
    throw new AppError(
      'CAMPAIGN.NO_RELAY',
      'unavailable',
      'Aucun relais de messagerie n’est configuré (VIGIE_SMTP_URL) : seul un incident notifié par courrier peut l’être.',
    );
  return {
    store: ctx.store,
    clock: ctx.clock,
    sealHead: () => advanceDisclosureLogHead(ctx),
    keys: ctx.keys,
    read: breachReader(ctx, reader),
    mailer:
      smtp === null
        ? null
        : smtpNoticeMailer({
            url: smtp,
            from: config.respond.noticeFrom,
            domain: config.respond.noticeDomain,
            connections: config.respond.connections,
          }),
    printDir: join(config.respond.printDir, incident.reference),
    settings: noticeSettingsOf(config),
    tuning,
  };
}
