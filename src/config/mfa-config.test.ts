import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('second-factor configuration', () => {
  it('defaults to a localhost relying party, 10 minutes of step-up freshness', () => {
    expect(loadConfig({}).mfa).toEqual({
      rpId: 'localhost',
      rpName: 'Vigie',
      origins: ['http://localhost:8080'],
      stepUpFreshnessMs: 600_000,
    });
  });

  it('reads the environment, several origins included', () => {
    const env = {
      VIGIE_WEBAUTHN_RP_ID: 'Vigie.Example.fr',
      VIGIE_WEBAUTHN_ORIGIN: 'https://vigie.example.fr, https://agents.vigie.example.fr',
      VIGIE_STEP_UP_MINUTES: '5',
    };
    expect(loadConfig(env).mfa).toMatchObject({
      rpId: 'vigie.example.fr',
      origins: ['https://vigie.example.fr', 'https://agents.vigie.example.fr'],
      stepUpFreshnessMs: 300_000,
    });
  });

  it('refuses an IP address as relying party, a malformed origin, an out-of-range freshness, in French', () => {
    for (const env of [
      { VIGIE_WEBAUTHN_RP_ID: '127.0.0.1' },
      { VIGIE_WEBAUTHN_ORIGIN: 'localhost:8080' },
      { VIGIE_STEP_UP_MINUTES: '0' },
    ]) {
      expect(() => loadConfig(env)).toThrow(
        expect.objectContaining({ code: 'CONFIG.INVALID', message: expect.stringContaining('Configuration invalide') }),
      );
    }
  });
});
