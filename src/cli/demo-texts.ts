/**
 * The demo's SMS gateway: a minimal HTTP receiver on loopback that `vigie demo` hands to Vigie as
 * its text-message gateway (VIGIE_SMS_URL), and that prints what it receives (a job seeker's sign-in
 * code, for a file without e-mail), as the demo mailbox prints e-mails. Seeded numbers are in the
 * 06 39 98 block reserved for fiction; nothing is sent anywhere. Only for the local demo.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedText {
  readonly to: string;
  readonly text: string;
}

export interface DemoTextSink {
  readonly url: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 4_096;

export async function startDemoTextSink(deliver: (text: ReceivedText) => void): Promise<DemoTextSink> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > BODY_LIMIT) request.destroy();
    });
    request.on('end', () => {
      try {
        const { to, text } = JSON.parse(body) as { to?: unknown; text?: unknown };
        if (typeof to !== 'string' || typeof text !== 'string') throw new Error('not a text message');
        deliver({ to, text });
        response.writeHead(202).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
