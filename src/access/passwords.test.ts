import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors.js';
import {
  ARGON2_PARAMETERS,
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return undefined;
};

describe('passwords', () => {
  it('requires at least 12 characters, counted as a person counts them', () => {
    expect(codeOf(() => checkPasswordPolicy('onze-caract'))).toBe('PASSWORD.TOO_SHORT');
    expect(codeOf(() => checkPasswordPolicy('douze-caract'))).toBeUndefined();
    expect(codeOf(() => checkPasswordPolicy('🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐'))).toBe('PASSWORD.TOO_SHORT'); // 11 code points, 22 UTF-16 units
    expect(codeOf(() => checkPasswordPolicy('x'.repeat(257)))).toBe('PASSWORD.TOO_LONG');
  });

  it('refuses to hash a short password', async () => {
    await expect(hashPassword('court')).rejects.toMatchObject({ code: 'PASSWORD.TOO_SHORT', kind: 'invalid' });
  });

  it('hashes with argon2id, memory ≥ 19 MiB, ≥ 2 passes, 1 lane, random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(a);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(19_456);
    expect(Number(match![2])).toBeGreaterThanOrEqual(2);
    expect(Number(match![3])).toBe(1);
    expect(ARGON2_PARAMETERS.parallelism).toBe(1);
    expect(a).not.toBe(b);
    expect(needsRehash(a)).toBe(false);
  });

  it('verifies the right password only, and never throws on a malformed hash', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterie')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'correct horse battery')).toBe(false);
  });

  it('flags hashes made with weaker parameters for rehash', () => {
    expect(needsRehash('$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHQ$aGFzaA')).toBe(true);
  });

  it('the dummy verification always fails and costs about as much as a real one', async () => {
    const hash = await hashPassword('correct horse battery');
    await verifyAgainstDummy('warm-up'); // first call builds the dummy hash
    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 5; i++) {
      real.push(await time(() => verifyPassword(hash, 'wrong password!')));
      dummy.push(await time(() => verifyAgainstDummy('wrong password!')));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    expect(await verifyAgainstDummy('anything at all')).toBe(false);
    expect(median(dummy) / median(real)).toBeGreaterThan(0.5);
    expect(median(dummy) / median(real)).toBeLessThan(2);
  });
});

describe('common and guessable passwords', () => {
  const reasonOf = (password: string, context = {}): string | undefined => {
    try {
      checkPasswordPolicy(password, context);
    } catch (e) {
      if (isAppError(e) && e.code === 'PASSWORD.TOO_COMMON') return String(e.details?.['reason']);
      return isAppError(e) ? e.code : 'not an AppError';
    }
    return undefined;
  };

  it('refuses passwords of the shipped list of common and breached passwords, whatever their case', () => {
    for (const p of ['123456789012', 'qwerty123456', '1qaz2wsx3edc', '123qweasdzxc', 'leavemealone', 'unbelievable']) {
      expect(reasonOf(p)).toBe('common');
    }
    expect(reasonOf('QWERTY123456')).toBe('common');
  });

  it('sees through digits, spaces and punctuation added at either end, and through repetition', () => {
    for (const p of [
      'Azerty2026!!',
      'motdepasse123',
      '2026 soleil !!!',
      'Password1234',
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      '121212121212',
    ]) {
      expect(reasonOf(p)).toBe('common');
    }
  });

  it('accepts long passphrases and the test passwords', () => {
    for (const p of [
      'correct horse battery staple',
      'Mot de passe de test 2026 !',
      'Conseiller-Demo-2026',
      'Demandeur-Demo-2026',
      'tartine beurre salé 1789',
    ]) {
      expect(reasonOf(p)).toBeUndefined();
    }
  });

  it('refuses a password containing the login (or its local part) or the organisation name', () => {
    expect(reasonOf('camille.agent 2026 !!', { login: 'camille.agent@formation.fr' })).toBe('login');
    expect(reasonOf('Mon identifiant 1234567A', { login: '1234567a' })).toBe('login');
    expect(reasonOf('J’aime Formation Plus 2026', { login: 'x@y.fr', organisationName: 'Formation Plus' })).toBe(
      'organisation',
    );
    expect(reasonOf('J’aime Formation Plus 2026', {})).toBeUndefined();
    expect(reasonOf('un jour de plus en hiver', { login: 'jo@y.fr' })).toBeUndefined(); // a short login is no leak
  });

  it('answers PASSWORD.TOO_COMMON with a French message, from hashPassword too', async () => {
    await expect(hashPassword('azertyuiop2026')).rejects.toMatchObject({
      code: 'PASSWORD.TOO_COMMON',
      kind: 'invalid',
      message: expect.stringContaining('mot de passe'),
    });
  });
});
