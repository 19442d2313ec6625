/**
 * The public pages in Debian's Chromium (playwright-core): a job seeker who forgot their password
 * asks for a link, opens the link received on a real SMTP server, chooses a new password, and signs
 * in with it. Under the pages' strict Content-Security-Policy, with no console error.
 */
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { SCENARIO_PASSWORD } from '../../test-support/scenario.js';
import type { SmtpSink } from '../../test-support/smtp-sink.js';
import { openSmtpSink } from '../../test-support/smtp-sink.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The reset link of a received message (quoted-printable undone). */
const linkIn = (raw: string): string => {
  const match = /https?:\/\/\S+\/reinitialisation#jeton=[A-Za-z0-9_-]{43}/.exec(raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
  if (!match) throw new Error('no reset link in the message');
  return match[0];
};

describe('public pages in Chromium (SQLite)', () => {
  let h: HttpScenario;
  let smtp: SmtpSink;
  let browser: Browser;
  let page: Page;
  let origin = '';
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    smtp = await openSmtpSink();
    h = await openHttpScenario('sqlite', { config: { cookieSecure: false, smtpUrl: smtp.url, mailFrom: 'no-reply@vigie.example', publicUrl: origin } });
    await h.app.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('pageerror', (e) => void consoleErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await h?.dispose();
    await smtp?.close();
  });

  it('serves the home page in French, under a strict Content-Security-Policy', async () => {
    const response = await page.goto(`${origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.click('text=Mot de passe oublié');
    await expect.poll(() => page.url()).toBe(`${origin}/mot-de-passe-oublie`);
  });

  it('lets a job seeker who forgot their password choose a new one from the e-mailed link', async () => {
    const p1 = h.scenario.people.p1;
    await page.goto(`${origin}/mot-de-passe-oublie`);
    await page.fill('#login', p1.identifier);
    const before = smtp.received.length;
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#message')).toContain('un lien valable 30 minutes');
    const mail = await smtp.waitFor(before + 1);
    expect(mail.to).toEqual([p1.email]);

    await page.goto(linkIn(mail.raw));
    expect(page.url()).toBe(`${origin}/reinitialisation`); // the token left the address bar at once
    await page.fill('#password', 'une phrase de passe toute neuve');
    await page.fill('#confirm', 'une phrase de passe toute différente');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#message')).toContain('Les deux saisies du mot de passe diffèrent');
    await page.fill('#confirm', 'une phrase de passe toute neuve');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#message')).toContain('Votre mot de passe est changé');
    expect(await page.isHidden('#reinitialisation')).toBe(true);

    const login = (password: string) => h.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: { login: p1.identifier, password } });
    expect((await login('une phrase de passe toute neuve')).json()).toEqual({ next: 'email_code' });
    expect((await login(SCENARIO_PASSWORD)).json().error.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('explains a used or incomplete link instead of failing silently', async () => {
    await page.goto(`${origin}/reinitialisation`);
    expect(await page.isHidden('#reinitialisation')).toBe(true);
    expect(await page.textContent('#message')).toContain('Ce lien est incomplet');
    await page.goto(`${origin}/reinitialisation#jeton=${'A'.repeat(43)}`);
    await page.fill('#password', 'une phrase de passe toute neuve');
    await page.fill('#confirm', 'une phrase de passe toute neuve');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#message')).toContain('n’est pas valide, a expiré ou a déjà servi');
  });

  it('raised no console error (no CSP violation, no script failure)', () => {
    expect(consoleErrors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
});
