/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 for tests, with one confidential client (PKCE
 * required) and a minimal custom interaction: the login prompt signs in whoever `nextLogin` says, with
 * the `amr`/`acr` it says (a password alone, or a second factor), the consent prompt grants the
 * requested scopes. `browse` plays the browser between Vigie's redirect and its callback: it follows
 * the provider's redirects with a cookie jar and returns the URL the provider sends back to Vigie.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface NextLogin {
  sub: string;
  amr: string[];
  acr?: string;
}

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Who the next interaction signs in, and how. */
  nextLogin: NextLogin;
  /** Follows redirects from `start` until one leaves the provider; returns that URL. */
  browse(start: string): Promise<URL>;
  close(): Promise<void>;
}

const CLIENT_ID = 'vigie-test';
const CLIENT_SECRET = 'secret-du-client-de-test-0123456789';

type Interactive = Pick<Provider, 'interactionDetails' | 'interactionFinished' | 'Grant'>;

async function interact(
  provider: Interactive,
  state: { nextLogin: NextLogin },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    const { sub, amr, acr } = state.nextLogin;
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub, amr, ...(acr ? { acr } : {}) } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const grant = new provider.Grant({
    accountId: String(details.session?.accountId),
    clientId: String(details.params['client_id']),
  });
  grant.addOIDCScope(String(details.params['scope']));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function cookieJar() {
  const jar = new Map<string, string>();
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    store: (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      }
    },
  };
}

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'cle-1', use: 'sig', alg: 'RS256' }] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@partenaire.example` }),
    }),
    claims: { openid: ['sub'], email: ['email'], acr: null, amr: null },
    features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['cle-des-cookies-de-test'] },
    pkce: { required: () => true },
  });
  const state = { nextLogin: { sub: 'personne', amr: ['pwd'] } as NextLogin };
  const handler = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(provider, state, req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
      return;
    }
    void handler(req, res);
  });

  const browse = async (start: string): Promise<URL> => {
    const jar = cookieJar();
    let url = new URL(start);
    for (let hop = 0; hop < 20 && url.origin === issuer; hop++) {
      const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(response);
      const location = response.headers.get('location');
      if (!location)
        throw new Error(`provider stopped at ${url.pathname} with ${response.status}: ${await response.text()}`);
      url = new URL(location, url);
    }
    return url;
  };

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    get nextLogin() {
      return state.nextLogin;
    },
    set nextLogin(v: NextLogin) {
      state.nextLogin = v;
    },
    browse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
