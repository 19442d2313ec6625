/**
 * Real-browser tests: Debian's Chromium (installed by .ci/run, never a downloaded browser) driven by
 * playwright-core, and a free loopback port for the app to listen on.
 */
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
