import type { MfaConfig } from '../../config/mfa-config.js';
import type { AccessDeps } from '../access-deps.js';

/** What the second-factor use cases need: the access deps and the WebAuthn / step-up settings. */
export interface MfaDeps extends AccessDeps {
  readonly mfa: MfaConfig;
}

/** The second factors a sign-in or step-up may be proven with. */
export const FACTOR_METHODS = ['webauthn', 'totp', 'recovery'] as const;
export type FactorMethod = (typeof FACTOR_METHODS)[number];
