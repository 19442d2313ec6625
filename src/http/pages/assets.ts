/**
 * The style sheet and the one script of the public pages. Served from the application's own
 * origin (the pages' Content-Security-Policy allows nothing else, and no inline script).
 */
import { ROLE_LABELS } from '../../domain/roles.js';

export const STYLE = `
:root { color-scheme: light; --bleu: #000091; --gris: #3a3a3a; --rouge: #ce0500; --vert: #18753c; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--gris); background: #f6f6f6; }
header { background: #fff; border-bottom: 3px solid var(--bleu); padding: 1rem 1.5rem; }
header a { color: var(--bleu); font-weight: 700; font-size: 1.25rem; text-decoration: none; }
main { max-width: 36rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 4px; }
h1 { color: var(--bleu); font-size: 1.5rem; margin-top: 0; }
label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
input[type=text], input[type=password] { width: 100%; padding: .5rem; font-size: 1rem; border: 1px solid #929292; border-radius: 4px; }
input:focus, button:focus, a:focus { outline: 3px solid #0a76f6; outline-offset: 2px; }
fieldset { border: 1px solid #ddd; margin: 1.25rem 0 0; padding: .5rem 1rem 1rem; }
fieldset label { font-weight: 400; margin: .25rem 0; }
button { margin-top: 1.5rem; background: var(--bleu); color: #fff; border: 0; padding: .75rem 1.25rem; font-size: 1rem; border-radius: 4px; cursor: pointer; }
button[disabled] { opacity: .6; cursor: wait; }
.aide { font-size: .875rem; color: #666; margin: .25rem 0 0; }
#message:empty { display: none; }
#message { margin-top: 1.25rem; padding: .75rem 1rem; border-left: 4px solid var(--bleu); background: #f0f0ff; }
#message.erreur { border-color: var(--rouge); background: #fff0f0; }
#message.succes { border-color: var(--vert); background: #eefaf0; }
.conseil { font-size: .875rem; border-top: 1px solid #ddd; margin-top: 2rem; padding-top: 1rem; }
`;

/**
 * Both forms: "mot de passe oublié" (POST /api/auth/password-reset) and "choisir un nouveau mot de
 * passe" (POST /api/auth/password-reset/complete with the token from the link's fragment, which the
 * browser never sends to a server; it is taken out of the address bar at once).
 */
export const SCRIPT = `
'use strict';
(() => {
  const message = document.getElementById('message');
  const say = (text, kind) => { message.textContent = text; message.className = kind || ''; };
  const post = async (url, body) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: response.status, json };
  };
  const failure = (r) => (r.json && r.json.error && r.json.error.message) || 'Le service ne répond pas comme prévu : réessayez dans quelques minutes.';
  const busy = (form, on) => { if (form) for (const b of form.querySelectorAll('button')) b.disabled = on; };

  const show = (id) => {
    for (const s of document.querySelectorAll('main section')) s.hidden = s.id !== id;
  };
  const get = async (url) => {
    const response = await fetch(url, { credentials: 'same-origin' });
    return { status: response.status, json: await response.json().catch(() => null) };
  };
  const ROLES = ${JSON.stringify(ROLE_LABELS)};
  const signInForm = document.getElementById('connexion');
  if (signInForm) {
    const codeForm = document.getElementById('code-form');
    const codeInput = document.getElementById('code-connexion');
    const codeLabel = document.getElementById('code-libelle');
    const recoveryButton = document.getElementById('code-secours');
    const passkeyButton = document.getElementById('cle-connexion');
    const hasPasskeys = typeof PublicKeyCredential !== 'undefined' && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';
    let codeUrl = '/api/auth/mfa/totp';
    const deviceHelp = document.getElementById('aide-code-appareil');
    const askCode = (url, label) => {
      codeUrl = url;
      codeLabel.textContent = label;
      deviceHelp.hidden = url !== '/api/auth/device-code';
      codeInput.value = '';
      show('etape-code');
      codeInput.focus();
    };
    const connected = async () => {
      const me = await get('/api/auth/me');
      if (me.status !== 200) return show('etape-identifiants');
      const a = me.json.account;
      const who = a.displayName || 'Demandeur d’emploi';
      const org = me.json.organisation ? ', ' + me.json.organisation.name : '';
      document.getElementById('bienvenue').textContent = 'Vous êtes connecté : ' + who + ' (' + (ROLES[a.role] || a.role) + org + ').';
      show('etape-connecte');
      say('');
      if (a.role === 'job_seeker') {
        const list = document.getElementById('liste-acces');
        list.replaceChildren();
        const accesses = await get('/api/me/accesses?pageSize=50');
        for (const x of (accesses.json && accesses.json.items) || []) {
          const li = document.createElement('li');
          const when = new Date(x.at).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
          li.textContent = when + ' — ' + x.who + ' — ' + x.purpose + ' : ' + x.fields.join(', ') + (x.reason ? ' (motif : « ' + x.reason + ' »)' : '');
          list.append(li);
        }
        document.getElementById('mes-acces').hidden = false;
      }
    };
    const after = async (r) => {
      if (r.status !== 200) return say(failure(r), 'erreur');
      say('');
      const next = r.json.next;
      if (next === 'done') return connected();
      if (next === 'device_code') return askCode('/api/auth/device-code', 'Code de connexion (nouvel appareil)');
      if (next === 'enrol') {
        document.getElementById('enrolement-cle').hidden = !hasPasskeys;
        return show('etape-enrolement');
      }
      if (next === 'mfa') {
        const methods = r.json.methods || [];
        passkeyButton.hidden = !(hasPasskeys && methods.includes('webauthn'));
        recoveryButton.hidden = !methods.includes('recovery');
        if (methods.includes('totp')) return askCode('/api/auth/mfa/totp', 'Code de votre application d’authentification');
        show('etape-code');
        if (!methods.includes('webauthn')) askCode('/api/auth/mfa/recovery', 'Un de vos codes de secours');
      }
    };
    const guarded = (form, work) => async (event) => {
      if (event) event.preventDefault();
      busy(form, true);
      try { await work(); } catch { say('Le service est injoignable ou l’opération a été annulée : réessayez.', 'erreur'); }
      finally { busy(form, false); }
    };
    signInForm.addEventListener('submit', guarded(signInForm, async () => {
      const login = document.getElementById('identifiant').value.trim();
      const password = document.getElementById('motdepasse').value;
      if (!login || !password) return say('Saisissez votre identifiant et votre mot de passe.', 'erreur');
      await after(await post('/api/auth/login', { login, password }));
    }));
    codeForm.addEventListener('submit', guarded(codeForm, async () => {
      const code = codeInput.value.replace(/\\s/g, '');
      if (!code) return say('Saisissez le code.', 'erreur');
      await after(await post(codeUrl, { code }));
    }));
    recoveryButton.addEventListener('click', () => askCode('/api/auth/mfa/recovery', 'Un de vos codes de secours'));
    passkeyButton.addEventListener('click', guarded(codeForm, async () => {
      const options = await post('/api/auth/mfa/webauthn/options', {});
      if (options.status !== 200) return say(failure(options), 'erreur');
      const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.json.options) });
      await after(await post('/api/auth/mfa/webauthn/verify', credential.toJSON()));
    }));
    const showRecoveryCodes = (codes) => {
      const box = document.getElementById('codes-secours');
      box.hidden = !codes;
      document.getElementById('liste-codes').replaceChildren(...(codes || []).map((code) => {
        const li = document.createElement('li');
        li.textContent = code;
        return li;
      }));
    };
    const enrolment = document.getElementById('etape-enrolement');
    document.getElementById('enrolement-totp').addEventListener('click', guarded(enrolment, async () => {
      const r = await post('/api/auth/enrol/totp', {});
      if (r.status !== 201) return say(failure(r), 'erreur');
      document.getElementById('secret').textContent = r.json.secret.replace(/(.{4})/g, '$1 ').trim();
      const qr = new DOMParser().parseFromString(r.json.qrSvg, 'image/svg+xml').documentElement;
      document.getElementById('totp-qr').replaceChildren(document.importNode(qr, true));
      document.getElementById('totp-secret').hidden = false;
      document.getElementById('totp-code').focus();
    }));
    const totpForm = document.getElementById('totp-form');
    totpForm.addEventListener('submit', guarded(totpForm, async () => {
      const code = document.getElementById('totp-code').value.replace(/\\s/g, '');
      const r = await post('/api/auth/enrol/totp/confirm', { code });
      if (r.status !== 200) return say(failure(r), 'erreur');
      await connected();
      showRecoveryCodes(r.json.recoveryCodes);
      say('Application d’authentification enregistrée : elle vous sera demandée à chaque connexion.', 'succes');
    }));
    document.getElementById('enrolement-cle').addEventListener('click', guarded(enrolment, async () => {
      const options = await post('/api/auth/enrol/webauthn/options', {});
      if (options.status !== 200) return say(failure(options), 'erreur');
      const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.json.options) });
      const r = await post('/api/auth/enrol/webauthn/verify', { credential: credential.toJSON(), label: 'Clé d’accès' });
      if (r.status !== 201) return say(failure(r), 'erreur');
      await connected();
      showRecoveryCodes(r.json.recoveryCodes);
      say('Clé d’accès enregistrée : elle vous sera demandée à chaque connexion.', 'succes');
    }));
    document.getElementById('deconnexion').addEventListener('click', guarded(null, async () => {
      await fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '', credentials: 'same-origin' });
      show('etape-identifiants');
      say('Vous êtes déconnecté.', 'succes');
    }));
    void connected();
  }

  const forgot = document.getElementById('oubli');
  if (forgot) {
    forgot.addEventListener('submit', async (event) => {
      event.preventDefault();
      const login = document.getElementById('login').value.trim();
      if (!login) return say('Indiquez votre identifiant ou votre adresse électronique professionnelle.', 'erreur');
      busy(forgot, true);
      try {
        const r = await post('/api/auth/password-reset', { login });
        if (r.status === 202) { say(r.json.message, 'succes'); forgot.hidden = true; }
        else say(failure(r), 'erreur');
      } catch { say('Le service est injoignable : vérifiez votre connexion et réessayez.', 'erreur'); }
      finally { busy(forgot, false); }
    });
  }

  const reset = document.getElementById('reinitialisation');
  if (reset) {
    // A link pasted into this very tab changes only the fragment: start again with its token.
    window.addEventListener('hashchange', () => location.reload());
    const match = /(?:^#|&)jeton=([A-Za-z0-9_-]{43})(?:&|$)/.exec(location.hash);
    const token = match ? match[1] : null;
    if (location.hash) history.replaceState(null, '', location.pathname);
    if (!token) {
      reset.hidden = true;
      say('Ce lien est incomplet ou abîmé. Ouvrez le lien reçu par courriel en entier, ou demandez-en un nouveau.', 'erreur');
      return;
    }
    const code = document.getElementById('code');
    const methods = [...reset.querySelectorAll('input[name=facteur]')];
    const sync = () => { code.disabled = methods.find((m) => m.checked).value === 'aucun'; };
    for (const m of methods) m.addEventListener('change', sync);
    sync();
    reset.addEventListener('submit', async (event) => {
      event.preventDefault();
      const password = document.getElementById('password').value;
      if (password.length < 12) return say('Le mot de passe doit compter au moins 12 caractères.', 'erreur');
      if (password !== document.getElementById('confirm').value) return say('Les deux saisies du mot de passe diffèrent.', 'erreur');
      const method = methods.find((m) => m.checked).value;
      const factor = method === 'aucun' ? null : { method, code: code.value.replace(/\\s/g, '') };
      if (factor && !factor.code) return say('Saisissez le code de votre second facteur.', 'erreur');
      busy(reset, true);
      try {
        const r = await post('/api/auth/password-reset/complete', { token, password, factor });
        if (r.status === 204) {
          reset.hidden = true;
          say('Votre mot de passe est changé. Vos sessions ouvertes ont été fermées : reconnectez-vous avec le nouveau mot de passe.', 'succes');
        } else say(failure(r), 'erreur');
      } catch { say('Le service est injoignable : vérifiez votre connexion et réessayez.', 'erreur'); }
      finally { busy(reset, false); }
    });
  }
})();
`;
