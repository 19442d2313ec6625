/**
 * The demo's mailbox: a minimal SMTP receiver on loopback that `vigie demo` hands to Vigie as its
 * relay, and that prints what it receives (a job seeker's sign-in code on a new device, a reset
 * link). Seeded addresses are under the reserved `.example` domain and could never be delivered;
 * this is how the demo shows them. Only for the local demo: it accepts anything from anyone on
 * this machine and keeps nothing.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export interface ReceivedMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

export interface DemoMailbox {
  readonly url: string;
  close(): Promise<void>;
}

const decodeQuotedPrintable = (text: string): string =>
  Buffer.from(
    text
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

const decodeHeader = (value: string): string =>
  value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );

/** Subject and text body of a simple (single-part) message, as nodemailer writes them. */
export function readMessage(raw: string, to: readonly string[]): ReceivedMail {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeHeader(/^subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const body = rest.join('\n\n');
  const encoding = /^content-transfer-encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { to, subject, text: text.trim() };
}

/** One SMTP conversation: commands line by line, then the message until a lone ".". */
function converse(socket: Socket, deliver: (mail: ReceivedMail) => void): void {
  let buffer = '';
  let data: string[] | null = null;
  let to: string[] = [];
  const reply = (line: string): void => void socket.write(`${line}\r\n`);
  const command = (line: string): void => {
    switch (line.slice(0, 4).toUpperCase()) {
      case 'EHLO':
        return reply('250-vigie-demo\r\n250 8BITMIME');
      case 'RCPT':
        to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        return reply('250 OK');
      case 'DATA':
        data = [];
        return reply('354 Fin par <CRLF>.<CRLF>');
      case 'QUIT':
        reply('221 Au revoir');
        return void socket.end();
      case 'RSET':
        to = [];
        return reply('250 OK');
      case 'HELO':
      case 'MAIL':
      case 'NOOP':
        return reply('250 OK');
      default:
        return reply('502 Commande non prise en charge');
    }
  };
  const line = (text: string): void => {
    if (data === null) return command(text);
    if (text !== '.') return void data.push(text.startsWith('..') ? text.slice(1) : text);
    deliver(readMessage(data.join('\r\n'), to));
    [data, to] = [null, []];
    reply('250 OK');
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  });
  socket.on('error', () => socket.destroy());
  reply('220 vigie-demo ESMTP');
}

export async function startDemoMailbox(deliver: (mail: ReceivedMail) => void): Promise<DemoMailbox> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    converse(socket, deliver);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
