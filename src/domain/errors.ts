/**
 * The one error class of Vigie. Every failure that can reach a client carries a stable code
 * (`ENROLMENT.NOT_FOUND`) and a French message meant for the user; the HTTP layer maps the kind to
 * a status in one place. Never put personal data or internals in the message or details.
 */
export type ErrorKind =
  | 'invalid' // 400: the input is malformed or breaks a rule
  | 'unauthenticated' // 401: no valid session
  | 'forbidden' // 403: authenticated, but this action is not open to this account (never used for "may not see this person")
  | 'not_found' // 404: absent, or present but not disclosable to this reader (indistinguishable)
  | 'conflict' // 409: the state forbids it (already declared, already exists)
  | 'too_many' // 429: throttled
  | 'step_up' // 401 with a demand for a fresh second factor
  | 'unavailable' // 503: a dependency is down
  | 'internal'; // 500: a bug; the message never says more

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const invalid = (code: string, message: string, details?: Record<string, unknown>): AppError =>
  new AppError(code, 'invalid', message, details);

export const notFound = (code: string, message: string): AppError => new AppError(code, 'not_found', message);

export const conflict = (code: string, message: string): AppError => new AppError(code, 'conflict', message);

export const forbidden = (code: string, message: string): AppError => new AppError(code, 'forbidden', message);
