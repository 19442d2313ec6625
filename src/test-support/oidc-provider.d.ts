/**
 * The little of oidc-provider's API the test provider uses (the package ships no types and
 * @types/oidc-provider would be one more dependency for one test helper).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string };
    readonly params: Readonly<Record<string, unknown>>;
    readonly session?: { readonly accountId?: string };
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface ProviderAccount {
    readonly accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }

  export interface Configuration {
    readonly clients: readonly Record<string, unknown>[];
    readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
    findAccount(ctx: unknown, sub: string): Promise<ProviderAccount | undefined>;
    readonly claims?: Readonly<Record<string, readonly string[] | null>>;
    readonly features?: Readonly<Record<string, unknown>>;
    readonly interactions?: { url(ctx: unknown, interaction: { readonly uid: string }): string };
    readonly cookies?: { readonly keys: readonly string[] };
    readonly pkce?: { required(ctx: unknown, client: unknown): boolean };
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    readonly Grant: new (properties: { accountId: string; clientId: string }) => Grant;
  }
}
