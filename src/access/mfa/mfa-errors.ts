/** The errors of the second factor, with stable codes and French messages. */
import { AppError, conflict, forbidden, invalid } from '../../domain/errors.js';

/** One answer for a wrong code or assertion, whatever was wrong (expired challenge, replay, unknown credential). */
export const factorRejected = (): AppError =>
  new AppError('MFA.INVALID', 'unauthenticated', 'Le code ou la clé de sécurité n’a pas été accepté. Réessayez.');

export const factorLocked = (retryAfterSeconds: number): AppError =>
  new AppError('MFA.LOCKED', 'too_many', 'Trop d’essais de second facteur : réessayez dans quelques minutes.', {
    retryAfterSeconds,
  });

export const pendingInvalid = (): AppError =>
  new AppError(
    'AUTH.PENDING_INVALID',
    'unauthenticated',
    'Votre connexion a expiré : saisissez à nouveau votre identifiant et votre mot de passe.',
  );

export const stepUpRequired = (): AppError =>
  new AppError(
    'AUTH.STEP_UP_REQUIRED',
    'step_up',
    'Confirmez votre identité avec votre second facteur pour continuer.',
  );

export const enrolmentRequired = (): AppError =>
  forbidden(
    'AUTH.MFA_ENROLMENT_REQUIRED',
    'Enregistrez d’abord un second facteur (clé d’accès ou application d’authentification) pour accéder à Vigie.',
  );

export const totpExists = (): AppError =>
  conflict(
    'MFA.TOTP_EXISTS',
    'Une application d’authentification est déjà enregistrée : supprimez-la avant d’en ajouter une autre.',
  );

export const noPendingTotp = (): AppError =>
  conflict(
    'MFA.TOTP_NOT_STARTED',
    'Aucun enregistrement d’application d’authentification n’est en cours : recommencez.',
  );

export const factorRequired = (): AppError =>
  conflict('MFA.FACTOR_REQUIRED', 'Enregistrez d’abord une clé d’accès ou une application d’authentification.');

export const lastFactor = (): AppError =>
  conflict(
    'MFA.LAST_FACTOR',
    'Ce second facteur est le dernier de votre compte : ajoutez-en un autre avant de le supprimer.',
  );

export const factorNotFound = (): AppError =>
  new AppError('MFA.FACTOR_NOT_FOUND', 'not_found', 'Second facteur introuvable.');

export const registrationRejected = (): AppError =>
  invalid('MFA.REGISTRATION_REJECTED', 'La clé d’accès n’a pas pu être enregistrée : réessayez.');

export const emailCodeUnavailable = (): AppError =>
  new AppError(
    'AUTH.EMAIL_CODE_UNAVAILABLE',
    'unavailable',
    'Le code de connexion ne peut pas être envoyé pour le moment. Réessayez plus tard ou contactez votre agence.',
  );
