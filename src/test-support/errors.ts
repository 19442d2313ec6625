import { isAppError } from '../domain/errors.js';

/** The stable code a promise fails with ('no error' if it succeeds; the text of a non-AppError). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return isAppError(e) ? e.code : String(e);
  }
}
