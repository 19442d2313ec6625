/**
 * One request of a simulated actor and what became of it: served (possibly with identifying fields
 * masked), a demand for a fresh second factor, a slow-down with its delay, a containment (credential
 * or partner channel suspended, sign-in refused), or an ordinary error (not found, conflict).
 */
import { isGateMiss } from '../../disclosure/types.js';
import { isAppError } from '../../domain/errors.js';
import type { Reader } from '../../disclosure/reader.js';
import type { Actor } from './actor.js';

/** What an action returns: the people it was disclosed (only `masked` matters here). */
export type Served = readonly { readonly masked: boolean }[];
export type Action = (reader: Reader) => Promise<Served>;

export type Outcome =
  | { readonly kind: 'ok'; readonly served: number; readonly masked: number }
  | { readonly kind: 'step_up' }
  | { readonly kind: 'slow_down'; readonly retryAfterMs: number }
  | { readonly kind: 'contained'; readonly code: string }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: 'error'; readonly code: string };

const CONTAINED =
  /^(DETECT\.(CREDENTIAL|CHANNEL)_SUSPENDED|AUTH\.CHANNEL_SUSPENDED|SIM\.SIGN_IN_REFUSED|AUTH\.ACCOUNT_SUSPENDED)$/;

export function classify(e: unknown): Outcome {
  if (!isAppError(e)) throw e;
  if (e.kind === 'step_up') return { kind: 'step_up' };
  if (e.kind === 'too_many') {
    const seconds = Number(e.details?.['retryAfterSeconds'] ?? 60);
    return { kind: 'slow_down', retryAfterMs: Math.max(1, Number.isFinite(seconds) ? seconds : 60) * 1000 };
  }
  if (CONTAINED.test(e.code) || (e.kind === 'forbidden' && e.code.startsWith('DETECT.')))
    return { kind: 'contained', code: e.code };
  if (e.kind === 'unauthenticated') return { kind: 'refused', code: e.code };
  return { kind: 'error', code: e.code };
}

/** Runs one request of `actor` through authentication and the use case. */
export async function perform(actor: Actor, action: Action): Promise<Outcome> {
  let reader: Reader | undefined;
  try {
    reader = await actor.reader();
    const served = await action(reader);
    return { kind: 'ok', served: served.length, masked: served.filter((p) => p.masked).length };
  } catch (e) {
    const outcome = classify(e);
    // As the HTTP layer (route.ts): a not-found is a lookup that found nobody, unless the gate
    // answered it, having counted the miss itself.
    if (reader && isAppError(e) && e.kind === 'not_found' && !isGateMiss(e)) actor.reportMiss(reader);
    return outcome;
  }
}
