/**
 * The public pages in Debian's Chromium (playwright-core): a job seeker who forgot their password
 * asks for a link, opens the link received on a real SMTP server, chooses a new password, and signs
 * in with it. Under the pages' strict Content-Security-Policy, with no console error.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium } from '../../test-support/browser.js';
import type { HttpScenario } from '../../test-support/http-scenario.js';
import { openHttpScenario } from '../../test-support/http-scenario.js';
import { oathtool } from '../../test-support/mfa-helpers.js';
import { SCENARIO_PASSWORD } from '../../test-support/scenario.js';
import type { SmtpSink } from '../../test-support/smtp-sink.js';
import { openSmtpSink } from '../../test-support/smtp-sink.js';

/** The reset link of a received message (quoted-printable undone). */
const linkIn = (raw: string): string => {
  const match = /https?:\/\/\S+\/reinitialisation#jeton=[A-Za-z0-9_-]{43}/.exec(
    raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
  );
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
    h = await openHttpScenario('sqlite', {
      config: { cookieSecure: false, smtpUrl: smtp.url, mailFrom: 'no-reply@vigie.example', publicUrl: origin },
    });
    h.clock.set(Date.now()); // cookies carry real expiry dates: the browser must not see them as past
    await h.app.listen({ host: '127.0.0.1', port });
    browser = await launchChromium();
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

    const login = (password: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: { login: p1.identifier, password },
      });
    expect((await login('une phrase de passe toute neuve')).json()).toEqual({ next: 'device_code' });
    expect((await login(SCENARIO_PASSWORD)).json()).toEqual({ next: 'device_code' }); // a decoy: no password oracle
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

  it('signs an agent in: second factor enrolled at the first sign-in, asked at the next, then signs out', async () => {
    const trainer = h.scenario.accounts.trainer;
    await page.goto(`${origin}/connexion`);
    await page.fill('#identifiant', trainer.login);
    await page.fill('#motdepasse', SCENARIO_PASSWORD);
    await page.click('#connexion button[type=submit]');
    await page.waitForSelector('#etape-enrolement', { state: 'visible' });
    await page.click('#enrolement-totp');
    const secret = ((await page.textContent('#secret')) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.fill('#totp-code', oathtool(secret, h.clock.now()).replace(/^(\d{3})/, '$1 ')); // typed as shown: « 123 456 »
    await page.click('#totp-form button[type=submit]');
    await expect
      .poll(() => page.textContent('#bienvenue'))
      .toMatch(/Vous êtes connecté : .+ \(organisme de formation, /);

    await page.click('#deconnexion');
    await expect.poll(() => page.textContent('#message')).toBe('Vous êtes déconnecté.');
    await page.fill('#identifiant', trainer.login);
    await page.fill('#motdepasse', SCENARIO_PASSWORD);
    await page.click('#connexion button[type=submit]');
    await page.waitForSelector('#etape-code', { state: 'visible' });
    expect(await page.textContent('#code-libelle')).toContain('application d’authentification');
    h.clock.advance(30_000); // the next time step: a code already used is refused
    await page.fill('#code-connexion', '000000');
    await page.click('#code-form button[type=submit]');
    await expect.poll(() => page.getAttribute('#message', 'class')).toBe('erreur');
    await page.fill('#code-connexion', oathtool(secret, h.clock.now()));
    await page.click('#code-form button[type=submit]');
    await expect.poll(() => page.textContent('#bienvenue')).toContain('organisme de formation');
    await page.click('#deconnexion');
  });

  it('signs a job seeker in with the code e-mailed for a new device, and shows who looked at their file', async () => {
    const p5 = h.scenario.people.p5;
    const adviser = await h.as(h.scenario.accounts.adviser1);
    const reason = encodeURIComponent('Entretien de suivi au téléphone');
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: `/api/adviser/people/${p5.id}?purpose=agency_lookup&reason=${reason}`,
          headers: adviser,
        })
      ).statusCode,
    ).toBe(200);
    await page.goto(`${origin}/connexion`);
    await page.fill('#identifiant', p5.identifier);
    await page.fill('#motdepasse', SCENARIO_PASSWORD);
    const before = smtp.received.length;
    await page.click('#connexion button[type=submit]');
    await page.waitForSelector('#etape-code', { state: 'visible' });
    expect(await page.textContent('#code-libelle')).toContain('Code de connexion');
    expect(await page.isVisible('#aide-code-appareil')).toBe(true);
    const raw = (await smtp.waitFor(before + 1)).raw.replace(/=\r?\n/g, '');
    const code = /connexion : (\d{6})/.exec(raw)?.[1] ?? '';
    await page.fill('#code-connexion', code);
    await page.click('#code-form button[type=submit]');
    await expect.poll(() => page.textContent('#bienvenue')).toContain('Demandeur d’emploi');
    // The history is fetched after the welcome line is written: wait for it.
    await expect.poll(() => page.textContent('#liste-acces')).toContain('conseiller France Travail');
    const accesses = await page.textContent('#liste-acces');
    expect(accesses).toContain("Consultation d'un dossier de l'agence");
    expect(accesses).toContain('motif : « Entretien de suivi au téléphone »');
    await page.click('#deconnexion');
  });

  it('raised no console error (no CSP violation, no script failure)', () => {
    expect(consoleErrors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
});
