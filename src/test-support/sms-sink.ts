/** A real HTTP SMS gateway on 127.0.0.1 that keeps the messages POSTed to it, for text-message tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedText {
  readonly to: string;
  readonly text: string;
  readonly authorization: string | undefined;
}

export interface SmsSink {
  readonly url: string;
  readonly received: ReceivedText[];
  /** Waits for the n-th message (1-based). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedText>;
  close(): Promise<void>;
}

export async function openSmsSink(): Promise<SmsSink> {
  const received: ReceivedText[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
      received.push({ to: body.to, text: body.text, authorization: request.headers.authorization });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    waitFor: async (count, timeoutMs = 5_000) => {
      const until = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const text = received[count - 1];
      if (!text) throw new Error(`no text #${count} within ${timeoutMs} ms`);
      return text;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
