/**
 * Issue 9, items 2 and 4: the sign-in does the same work whatever the truth it must not tell. Each
 * path's SQL statements are recorded (a Kysely plugin on the real database) and compared, with the
 * argon2 parameters of the hash verified; the timing itself is measured by `npm run
 * bench:signin-timing` (a benchmark, not a timed test). Before the fix, an unknown login ran one
 * statement (the event) after the lookup, a wrong password three (the counter, then the event, in
 * separate transactions), and a job seeker's right password answered differently from a wrong one.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRaisedAlert } from '../detect/alerts.js';
import type { AccessFixture } from '../test-support/access-fixtures.js';
import {
  TEST_PASSWORD,
  createOrgWithAccount,
  createOrganisation,
  openAccessFixture,
} from '../test-support/access-fixtures.js';
import { insertJobSeekers, sampleJobSeeker } from '../test-support/people.js';
import { DIALECTS } from '../test-support/stores.js';
import { createJobSeekerAccount } from './accounts.js';
import type { AccessDeps } from './access-deps.js';
import type { Mailer } from './mfa/mailer.js';
import type { TextSender } from './mfa/texter.js';
import { checkPassword } from './password-check.js';
import { ARGON2_PARAMETERS, dummyHash } from './passwords.js';
import type { SignInDeps } from './sign-in.js';
import { signIn } from './sign-in.js';
import { SignInThrottle } from './throttle.js';

/** Records the SQL of every statement run through the database it is plugged into. */
function recorder(compile: (args: PluginTransformQueryArgs) => string): KyselyPlugin & { statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    transformQuery(args) {
      statements.push(compile(args));
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
}

const SOURCE = { ip: '192.0.2.10', userAgent: 'Mozilla/5.0 (test)' };
const unsent: Mailer & TextSender = { configured: false, send: () => Promise.resolve(), close: () => undefined };

describe.each(DIALECTS)('a sign-in does the same work whatever it must not tell, on %s', (dialect) => {
  let f: AccessFixture;
  let staffLogin = '';
  let seekerLogin = '';
  beforeAll(async () => {
    f = await openAccessFixture(dialect);
    staffLogin = (await createOrgWithAccount(f.access, 'cap_emploi', 'partner_adviser')).login;
    const agency = await createOrganisation(f.store.db, 'agency');
    const person = sampleJobSeeker(agency);
    await insertJobSeekers(f.store.db, f.keys, [person]);
    seekerLogin = person.sealed.identity.identifier;
    await createJobSeekerAccount(f.access, { personId: person.id, identifier: seekerLogin, password: TEST_PASSWORD });
  });
  afterAll(async () => f.dispose());

  const recorded = () => {
    const executor = f.store.db.getExecutor();
    const plugin = recorder((args) => executor.compileQuery(args.node, args.queryId).sql);
    const access: AccessDeps = { ...f.access, db: f.store.db.withPlugin(plugin), alerts: insertRaisedAlert };
    return { plugin, access };
  };

  it('runs the same statements for an unknown login, a wrong password and a locked account', async () => {
    const runs: string[][] = [];
    for (const login of ['personne@nulle-part.fr', staffLogin, '@@@ pas un identifiant']) {
      const { plugin, access } = recorded();
      const check = await checkPassword(access, login, 'pas le bon mot de passe', SOURCE, null);
      expect(check.verified).toBe(false);
      runs.push(plugin.statements);
    }
    expect(runs[0]!.length).toBeGreaterThanOrEqual(3); // lookup, counter, event (and the transaction's own)
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('verifies an unknown login against a hash of the same argon2 parameters as a real one', async () => {
    const real = await f.store.db.selectFrom('accounts').select('password_hash').executeTakeFirstOrThrow();
    const params = (hash: string) => hash.split('$').slice(0, 4).join('$');
    expect(params(await dummyHash())).toBe(params(real.password_hash));
    expect(params(real.password_hash)).toBe(
      `$argon2id$v=19$m=${ARGON2_PARAMETERS.memoryCost},t=${ARGON2_PARAMETERS.timeCost},p=1`,
    );
  });

  it('answers a job seeker’s right password, wrong password and unknown identifier alike, after the same statements', async () => {
    const answers: unknown[] = [];
    const runs: string[][] = [];
    const deferred: Array<() => Promise<void>> = [];
    for (const [login, password] of [
      [seekerLogin, TEST_PASSWORD],
      [seekerLogin, 'pas le bon mot de passe'],
      ['9999999Z', 'pas le bon mot de passe'],
    ] as const) {
      const { plugin, access } = recorded();
      const deps: SignInDeps = {
        ...access,
        mfa: f.config.mfa,
        mailer: unsent,
        texter: unsent,
        throttle: new SignInThrottle(f.config.identity.signIn),
        background: (task) => void deferred.push(task),
      };
      const result = await signIn(deps, {
        login,
        password,
        source: SOURCE,
        contact: async () => ({ email: null, phone: null }),
      });
      answers.push({ next: result.next, keys: Object.keys(result).sort() });
      runs.push(plugin.statements);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(deferred).toHaveLength(1); // the code is sent, after the answer, for the right password only
  });
});
