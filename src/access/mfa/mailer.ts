/**
 * Outgoing mail through the SMTP relay of the configuration (VIGIE_SMTP_URL), with nodemailer.
 * Nothing about a message is logged here: its recipient and body can be personal data.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { IdentityConfig } from '../../config/identity-config.js';
import { emailCodeUnavailable } from './mfa-errors.js';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  /** False when no relay is configured: the e-mail channel is not offered. */
  readonly configured: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer over the configured relay; without one, sending answers AUTH.EMAIL_CODE_UNAVAILABLE (503). */
export function createMailer(mail: IdentityConfig['mail']): Mailer {
  const transport: Transporter | null = mail.smtpUrl === null ? null : nodemailer.createTransport(mail.smtpUrl);
  return {
    configured: transport !== null,
    send: async (message) => {
      if (transport === null) throw emailCodeUnavailable();
      try {
        await transport.sendMail({ from: mail.from, to: message.to, subject: message.subject, text: message.text });
      } catch {
        throw emailCodeUnavailable(); // the relay's error can quote the address: not passed on
      }
    },
    close: () => transport?.close(),
  };
}
