/**
 * Outgoing text messages (SMS), for sign-in codes sent to the mobile of a job seeker's file. The
 * sender is pluggable: an HTTP gateway (VIGIE_SMS_URL: POST of `{"to","text"}` as JSON, with
 * `Authorization: Bearer VIGIE_SMS_TOKEN` when set), the most common shape of SMS providers' APIs and
 * of the demo's console sink. Nothing about a message is logged here: its number and text are personal.
 */
import type { IdentityConfig } from '../../config/identity-config.js';
import { emailCodeUnavailable } from './mfa-errors.js';

export interface TextMessage {
  /** E.164 (+33…). */
  readonly to: string;
  readonly text: string;
}

export interface TextSender {
  /** False when no gateway is configured: the channel is not offered. */
  readonly configured: boolean;
  send(message: TextMessage): Promise<void>;
}

const SEND_TIMEOUT_MS = 10_000;

export function createTextSender(sms: IdentityConfig['sms']): TextSender {
  const url = sms.url;
  return {
    configured: url !== null,
    send: async (message) => {
      if (url === null) throw emailCodeUnavailable();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sms.token !== null) headers.authorization = `Bearer ${sms.token}`;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
        if (!response.ok) throw new Error(`status ${response.status}`);
      } catch {
        throw emailCodeUnavailable(); // the gateway's error can quote the number: not passed on
      }
    },
  };
}

/**
 * A French mobile number (06, 07, +33 6, +33 7, 0033…) in E.164, or null: texts go to mobiles only
 * (a landline would read the code aloud to whoever picks up).
 */
export function frenchMobile(phone: string | null | undefined): string | null {
  if (typeof phone !== 'string') return null;
  const digits = phone.replace(/[\s.()-]/g, '');
  const national = /^(?:\+33|0033|0)([67]\d{8})$/.exec(digits);
  return national ? `+33${national[1]}` : null;
}
