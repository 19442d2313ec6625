/**
 * The few public pages a person reaches outside the API: the home page, "mot de passe oublié", and
 * the page the e-mailed reset link opens (before this, the link led nowhere). Server-built HTML in
 * French, no framework, a strict Content-Security-Policy (scripts and styles from this origin only,
 * no inline code), usable without a mouse (labels, focus, live region for messages).
 */
import type { FastifyReply } from 'fastify';
import type { RouteModule } from '../route.js';
import { SCRIPT, STYLE } from './assets.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} — Vigie</title>
<link rel="stylesheet" href="/assets/vigie.css">
<script src="/assets/vigie.js" defer></script>
</head>
<body>
<header><a href="/">Vigie</a> <span>· France Travail</span></header>
<main>
${body}
</main>
</body>
</html>`;

const PHISHING = `<p class="conseil">France Travail ne vous demandera jamais votre mot de passe, un code reçu par courriel ou un lien de réinitialisation, ni par téléphone, ni par SMS, ni par courriel. En cas de doute, ne répondez pas et contactez votre conseiller.</p>`;

const HOME = layout(
  'Accueil',
  `<h1>Vigie</h1>
<p>Le registre des demandeurs d’emploi de France Travail et le suivi des formations, construit pour que chaque consultation d’un dossier soit justifiée, limitée et enregistrée.</p>
<ul>
<li><a href="/connexion">Se connecter</a></li>
<li><a href="/mot-de-passe-oublie">Mot de passe oublié</a></li>
<li><a href="/api/docs">Documentation de l’API</a> (agents, partenaires et applications)</li>
</ul>
<p>Demandeur d’emploi, vous pouvez voir qui a consulté votre dossier, quand et pourquoi, depuis votre espace (<code>GET /api/me/accesses</code>).</p>
${PHISHING}`,
);

const FORGOT = layout(
  'Mot de passe oublié',
  `<h1>Mot de passe oublié</h1>
<p>Indiquez votre identifiant : nous envoyons un lien valable 30 minutes à l’adresse électronique de votre compte (professionnelle pour un agent, celle de votre dossier pour un demandeur d’emploi). Aucune réinitialisation n’est faite par téléphone.</p>
<form id="oubli" novalidate>
<label for="login">Identifiant France Travail ou adresse électronique professionnelle</label>
<input id="login" name="login" type="text" autocomplete="username" required>
<button type="submit">Recevoir le lien</button>
</form>
<p id="message" role="status" aria-live="polite"></p>
${PHISHING}`,
);

const RESET = layout(
  'Choisir un nouveau mot de passe',
  `<h1>Choisir un nouveau mot de passe</h1>
<form id="reinitialisation" novalidate>
<label for="password">Nouveau mot de passe</label>
<input id="password" type="password" autocomplete="new-password" required minlength="12" aria-describedby="aide-mdp">
<p class="aide" id="aide-mdp">12 caractères au moins ; une phrase de passe est plus sûre et plus facile à retenir. Les mots de passe courants sont refusés.</p>
<label for="confirm">Confirmez le mot de passe</label>
<input id="confirm" type="password" autocomplete="new-password" required>
<fieldset>
<legend>Votre second facteur</legend>
<label><input type="radio" name="facteur" value="aucun" checked> Je n’en ai pas (demandeur d’emploi sans application d’authentification)</label>
<label><input type="radio" name="facteur" value="totp"> Un code de mon application d’authentification</label>
<label><input type="radio" name="facteur" value="recovery"> Un de mes codes de secours</label>
<label for="code">Code</label>
<input id="code" type="text" autocomplete="one-time-code" inputmode="numeric">
</fieldset>
<button type="submit">Enregistrer le nouveau mot de passe</button>
</form>
<p id="message" role="status" aria-live="polite"></p>
${PHISHING}`,
);

const SIGN_IN = layout(
  'Connexion',
  `<h1>Connexion</h1>
<section id="etape-identifiants">
<form id="connexion" novalidate>
<label for="identifiant">Identifiant France Travail ou adresse électronique professionnelle</label>
<input id="identifiant" type="text" autocomplete="username" required>
<label for="motdepasse">Mot de passe</label>
<input id="motdepasse" type="password" autocomplete="current-password" required>
<button type="submit">Se connecter</button>
</form>
<p><a href="/mot-de-passe-oublie">Mot de passe oublié ?</a></p>
</section>
<section id="etape-code" hidden>
<form id="code-form" novalidate>
<label for="code-connexion" id="code-libelle">Code</label>
<input id="code-connexion" type="text" autocomplete="one-time-code" inputmode="numeric" required>
<button type="submit">Valider</button>
</form>
<p class="aide" id="aide-code-appareil" hidden>Si votre identifiant et votre mot de passe sont justes, un code à 6 chiffres vient de partir vers l’adresse électronique de votre dossier, ou par SMS vers son numéro de mobile s’il n’a pas d’adresse. Rien reçu, ou ni l’un ni l’autre dans votre dossier ? Votre conseiller France Travail peut vous remettre un code à 8 chiffres, en agence, sur présentation d’une pièce d’identité. Un code refusé peut aussi venir d’un mot de passe mal saisi : recommencez depuis le début.</p>
<button type="button" id="cle-connexion" hidden>Utiliser ma clé d’accès</button>
<p><button type="button" id="code-secours" hidden>Utiliser un code de secours</button></p>
</section>
<section id="etape-enrolement" hidden>
<p>Votre compte d’agent doit être protégé par un second facteur avant tout accès aux dossiers. Choisissez :</p>
<button type="button" id="enrolement-cle" hidden>Enregistrer une clé d’accès (empreinte, visage, clé de sécurité)</button>
<button type="button" id="enrolement-totp">Utiliser une application d’authentification</button>
<div id="totp-secret" hidden>
<p>Scannez ce QR code avec votre application d’authentification, ou saisissez-y ce secret ; ils ne sont affichés qu’une fois :</p>
<div id="totp-qr"></div>
<p><code id="secret"></code></p>
<form id="totp-form" novalidate>
<label for="totp-code">Puis saisissez le code à 6 chiffres qu’elle affiche</label>
<input id="totp-code" type="text" autocomplete="one-time-code" inputmode="numeric" required>
<button type="submit">Confirmer</button>
</form>
</div>
</section>
<section id="etape-connecte" hidden>
<p id="bienvenue"></p>
<div id="codes-secours" hidden>
<h2>Vos codes de secours</h2>
<p>Chacun remplace une fois votre second facteur si vous le perdez. Notez-les ou imprimez-les maintenant et gardez-les en lieu sûr : ils ne seront plus affichés.</p>
<ol id="liste-codes"></ol>
</div>
<ul>
<li><a href="/api/docs">Documentation de l’API</a> : vos essais y utilisent cette session.</li>
</ul>
<div id="mes-acces" hidden>
<h2>Qui a consulté mon dossier</h2>
<ul id="liste-acces"></ul>
</div>
<button type="button" id="deconnexion">Se déconnecter</button>
</section>
<p id="message" role="status" aria-live="polite"></p>
${PHISHING}`,
);

const html = (reply: FastifyReply, page: string) =>
  reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(page);

export const pageRoutes: RouteModule = (app) => {
  app.get('/', { schema: { hide: true } }, (_request, reply) => html(reply, HOME));
  app.get('/connexion', { schema: { hide: true } }, (_request, reply) => html(reply, SIGN_IN));
  app.get('/mot-de-passe-oublie', { schema: { hide: true } }, (_request, reply) => html(reply, FORGOT));
  app.get('/reinitialisation', { schema: { hide: true } }, (_request, reply) => html(reply, RESET));
  app.get('/assets/vigie.css', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(STYLE),
  );
  app.get('/assets/vigie.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(SCRIPT),
  );
};
