/**
 * Sending the one-time code of a job seeker's sign-in from a new device, after the answer has gone
 * (the answer must take as long for a wrong password, which sends nothing). The contact details of
 * their file are read through the disclosure gate by the caller's reader (self_service, recorded like
 * any disclosure); e-mail first, then a text message to a French mobile, each only if its sender is
 * configured and the file has the address. With neither, the job seeker asks their adviser for a code
 * (assisted-codes.ts); the security log says which channel went, failed or was missing.
 */
import type { RequestSource } from '../access-deps.js';
import { recordSecurityEvent } from '../security-events.js';
import { setPendingCode } from '../../storage/access/pending-repo.js';
import type { CodeChannelColumn } from '../../storage/schema.js';
import { newDeviceCode, signInCodeMessage, signInCodeText } from './device-code.js';
import type { Mailer } from './mailer.js';
import type { MfaDeps } from './mfa-deps.js';
import type { PendingGrant } from './pending.js';
import type { TextSender } from './texter.js';
import { frenchMobile } from './texter.js';

/** The contact fields of a job seeker's own file, read through the gate (self_service). */
export interface OwnContact {
  readonly email: string | null;
  readonly phone: string | null;
}

export type ContactReader = (who: { readonly accountId: string; readonly personId: string }) => Promise<OwnContact>;

export interface DeliveryDeps extends MfaDeps {
  readonly mailer: Mailer;
  readonly texter: TextSender;
}

interface Channel {
  readonly name: CodeChannelColumn;
  send(code: string): Promise<void>;
}

function channelsOf(deps: DeliveryDeps, contact: OwnContact): Channel[] {
  const channels: Channel[] = [];
  const email = contact.email;
  if (deps.mailer.configured && email !== null && email !== '')
    channels.push({ name: 'email', send: (code) => deps.mailer.send(signInCodeMessage(email, code)) });
  const mobile = frenchMobile(contact.phone);
  if (deps.texter.configured && mobile !== null)
    channels.push({ name: 'sms', send: (code) => deps.texter.send(signInCodeText(mobile, code)) });
  return channels;
}

/** Draws a code for the pending sign-in, stores its hash and records the sending, in one transaction. */
async function issueFor(deps: DeliveryDeps, pending: PendingGrant, channel: Channel, who: Who): Promise<string | null> {
  const { code, hash } = newDeviceCode(deps, pending.idHash);
  const stored = await deps.db.transaction().execute(async (tx) => {
    if (!(await setPendingCode(tx, pending.idHash, hash, channel.name))) return false;
    await recordSecurityEvent(tx, {
      at: deps.clock.now(),
      kind: 'auth.device_code_sent',
      accountId: who.accountId,
      sourceIp: who.source.ip,
      details: { channel: channel.name },
    });
    return true;
  });
  return stored ? code : null;
}

interface Who {
  readonly accountId: string;
  readonly personId: string;
  readonly source: RequestSource;
}

/** Sends the code by the first channel that works; records a failure or the lack of any channel. */
export async function deliverDeviceCode(
  deps: DeliveryDeps,
  contact: ContactReader,
  pending: PendingGrant,
  who: Who,
): Promise<void> {
  const channels = channelsOf(deps, await contact(who));
  for (const channel of channels) {
    const code = await issueFor(deps, pending, channel, who);
    if (code === null) return; // the pending sign-in ended meanwhile
    try {
      await channel.send(code);
      return;
    } catch {
      await recordSecurityEvent(deps.db, {
        at: deps.clock.now(),
        kind: 'auth.device_code_failed',
        accountId: who.accountId,
        sourceIp: who.source.ip,
        details: { channel: channel.name },
      });
    }
  }
  if (channels.length === 0)
    await recordSecurityEvent(deps.db, {
      at: deps.clock.now(),
      kind: 'auth.device_code_unavailable',
      accountId: who.accountId,
      sourceIp: who.source.ip,
      details: { reason: 'no_channel' },
    });
}
