/**
 * A real SMTP server on loopback (smtp-server) standing for a relay that deduplicates on
 * Message-ID, as the notices' contract asks (DESIGN.md, « Exactement une fois »): it counts every
 * message presented per recipient, keeps one per Message-ID, refuses the recipients it is told to
 * (550 at RCPT), and can kill a process at a chosen message: while its data arrives (the relay never
 * has it), or once the relay has stored it but before it answers 250 (the sender cannot know).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface RelayedMessage {
  readonly to: string;
  readonly messageId: string;
  readonly raw: string;
}

export type KillPoint = 'during_data' | 'before_reply' | 'after_reply';

export interface SmtpRelay {
  readonly url: string;
  /** Every message presented, in order (duplicates included). */
  readonly presented: readonly RelayedMessage[];
  /** One message per Message-ID: what the mailboxes receive. */
  readonly delivered: ReadonlyMap<string, RelayedMessage>;
  /** Kills `pid` at the n-th message presented from now (1-based), at `point`. */
  killAt(n: number, point: KillPoint, pid: number): void;
  close(): Promise<void>;
}

const headerOf = (raw: string, name: string): string => {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1]?.trim() ?? '';
};

export async function startSmtpRelay(refuse: (address: string) => boolean = () => false): Promise<SmtpRelay> {
  const presented: RelayedMessage[] = [];
  const delivered = new Map<string, RelayedMessage>();
  let kill: { at: number; point: KillPoint; pid: number } | null = null;
  let seen = 0;
  const killNow = (pid: number) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse(address.address)) return callback(Object.assign(new Error('Boîte inconnue'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      seen += 1;
      const k = kill !== null && seen === kill.at ? kill : null;
      if (k) kill = null;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (k?.point === 'during_data' && chunks.length === 0) killNow(k.pid);
        chunks.push(c);
      });
      stream.on('end', () => {
        if (k?.point === 'during_data') return callback(new Error('interrompu'));
        const raw = Buffer.concat(chunks).toString('utf8');
        for (const to of session.envelope.rcptTo.map((r) => r.address)) {
          const m = { to, messageId: headerOf(raw, 'Message-ID'), raw };
          presented.push(m);
          if (!delivered.has(m.messageId)) delivered.set(m.messageId, m);
        }
        if (k?.point === 'before_reply') {
          killNow(k.pid);
          return setTimeout(() => callback(), 50);
        }
        callback();
        if (k?.point === 'after_reply') setImmediate(() => killNow(k.pid));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    presented,
    delivered,
    killAt: (n, point, pid) => void (kill = { at: seen + n, point, pid }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
