/**
 * Notices by e-mail through the SMTP relay (nodemailer, pooled connections). Every notice carries
 * a Message-ID derived from its id, the same at every attempt: a relay or mailbox that deduplicates
 * on it delivers one message however many times a crash made Vigie present it (see DESIGN.md,
 * « Exactement une fois »). The relay's answer decides: accepted (250), refused for good (5xx: the
 * notice becomes a letter), or to try again later (4xx, connection lost). Nothing about a message
 * is logged: its recipient and body are personal data.
 */
import nodemailer from 'nodemailer';

export interface OutgoingNotice {
  readonly noticeId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export type SendOutcome = 'accepted' | 'refused' | 'retry';

export interface NoticeMailer {
  send(notice: OutgoingNotice): Promise<SendOutcome>;
  close(): void;
}

export interface SmtpSettings {
  readonly url: string;
  /** « France Travail <ne-pas-repondre@francetravail.fr> » */
  readonly from: string;
  /** Domain of the Message-IDs (the sender's). */
  readonly domain: string;
  readonly connections: number;
}

/** `<notice-id@domain>`: the same for every attempt at one notice. */
export const messageIdOf = (noticeId: string, domain: string): string => `<${noticeId}@${domain}>`;

const outcomeOf = (error: unknown): SendOutcome => {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 ? 'refused' : 'retry';
};

export function smtpNoticeMailer(s: SmtpSettings): NoticeMailer {
  const u = new URL(s.url);
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: u.port === '' ? (u.protocol === 'smtps:' ? 465 : 25) : Number(u.port),
    secure: u.protocol === 'smtps:',
    ...(u.username !== ''
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    pool: true,
    maxConnections: s.connections,
    maxMessages: Infinity,
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    send: async (n) => {
      try {
        await transport.sendMail({
          from: s.from,
          to: n.to,
          subject: n.subject,
          text: n.text,
          messageId: messageIdOf(n.noticeId, s.domain),
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        });
        return 'accepted';
      } catch (error) {
        return outcomeOf(error);
      }
    },
    close: () => transport.close(),
  };
}
