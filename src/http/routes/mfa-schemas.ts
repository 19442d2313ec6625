/** Schemas of the sign-in, second-factor and step-up routes. */
import { z } from 'zod';
import { FACTOR_METHODS } from '../../access/mfa/mfa-deps.js';
import { AccountView, Instant, OrganisationView } from '../common-schemas.js';

export const SessionView = z.object({
  ref: z.string(),
  assurance: z.enum(['password', 'mfa']),
  expiresAt: Instant,
  mfaAt: Instant.nullable().optional().meta({ description: 'Dernière preuve d’un second facteur dans cette session.' }),
});
export const Me = z.object({ account: AccountView, organisation: OrganisationView.nullable(), session: SessionView });

export const FactorMethodSchema = z.enum(FACTOR_METHODS);

export const LoginResult = z.discriminatedUnion('next', [
  Me.extend({ next: z.literal('done').meta({ description: 'Connecté.' }) }),
  Me.extend({
    next: z.literal('enrol').meta({ description: 'Agent sans second facteur : session limitée à son enregistrement.' }),
  }),
  z.object({
    next: z.literal('mfa').meta({ description: 'Prouvez un second facteur (routes /api/auth/mfa/…).' }),
    methods: z.array(FactorMethodSchema),
  }),
  z.object({
    next: z.literal('device_code').meta({
      description:
        'Nouvel appareil : saisissez le code à 6 chiffres reçu par courriel ou par SMS, ou celui à 8 chiffres donné par votre conseiller (POST /api/auth/device-code).',
    }),
  }),
]);

const base64url = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]*$/);

/** What navigator.credentials.create() returns, JSON-encoded (base64url fields). */
export const RegistrationCredential = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z.array(z.string().max(32)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** What navigator.credentials.get() returns, JSON-encoded (base64url fields). */
export const AuthenticationCredential = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON, to pass to the browser as they are. */
export const WebauthnOptions = z.object({ options: z.record(z.string(), z.unknown()) });

export const Code = z.object({
  code: z.string().min(1).max(32).meta({ description: 'Code à 6 chiffres (ou code de secours).' }),
});

export const StepUpProof = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: z.string().min(1).max(16) }),
  z.object({ method: z.literal('webauthn'), credential: AuthenticationCredential }),
  z.object({ method: z.literal('recovery'), code: z.string().min(1).max(32) }),
]);

export const FactorView = z.object({
  id: z.string(),
  method: z.enum(['webauthn', 'totp']),
  label: z.string(),
  createdAt: Instant,
  lastUsedAt: Instant.nullable(),
});
export const FactorList = z.object({ factors: z.array(FactorView), recoveryCodesLeft: z.number().int() });
