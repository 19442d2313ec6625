/**
 * A real SMTP server on loopback for tests (smtp-server): it accepts every message and keeps it,
 * decoded enough to read links and codes from the text body (quoted-printable soft breaks undone).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: readonly string[];
  readonly raw: string;
  /** The raw message with quoted-printable decoded (good enough to find a link). */
  readonly text: string;
}

export interface SmtpMailbox {
  readonly url: string;
  readonly received: readonly ReceivedMail[];
  /** The first message (received or to come) to this address matching `pattern`, within `timeoutMs`. */
  waitFor(to: string, pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  close(): Promise<void>;
}

const decodeQuotedPrintable = (raw: string): string =>
  Buffer.from(
    raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

export async function startSmtpMailbox(): Promise<SmtpMailbox> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodeQuotedPrintable(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const find = (to: string, pattern: RegExp) => {
    for (const mail of received) {
      const match = mail.to.includes(to) ? pattern.exec(mail.text) : null;
      if (match) return match;
    }
    return null;
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor: async (to, pattern, timeoutMs = 5_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = find(to, pattern);
        if (match) return match;
        if (Date.now() > until) throw new Error(`no mail to ${to} matching ${pattern}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
