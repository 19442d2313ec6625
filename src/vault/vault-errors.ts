/**
 * The vault's errors. Messages are French and say what to do; they never carry key material,
 * ciphertext, plaintext or a crypto library's own message (which can quote its input).
 */
import { AppError } from '../domain/errors.js';

/** Why a key file or VIGIE_KEYS text was rejected, in words an operator can act on. */
export type KeysProblem =
  | 'not_json'
  | 'format'
  | 'current'
  | 'master_keys'
  | 'version_name'
  | 'master_key_encoding'
  | 'master_key_length'
  | 'index_key_encoding'
  | 'index_key_length';

const problemText: Record<KeysProblem, string> = {
  not_json: "le contenu n'est pas un objet JSON",
  format: 'le champ "format" doit valoir "vigie-keys/1"',
  current: 'le champ "current" doit désigner une version présente dans "masterKeys"',
  master_keys: 'le champ "masterKeys" doit être un objet { "version": "clé en base64" }',
  version_name: 'les versions de "masterKeys" doivent être des entiers positifs',
  master_key_encoding: "une clé maîtresse n'est pas en base64",
  master_key_length: 'une clé maîtresse ne fait pas 32 octets (256 bits)',
  index_key_encoding: '"indexKey" n\'est pas en base64',
  index_key_length: '"indexKey" ne fait pas 32 octets (256 bits)',
};

export const keysMissing = (where: string): AppError =>
  new AppError(
    'VAULT.KEYS_MISSING',
    'internal',
    `Clés de chiffrement absentes (${where}) : créez un fichier de clés (vigie keys init) ou renseignez VIGIE_KEYS.`,
  );

export const keysInvalid = (problem: KeysProblem, version?: number): AppError =>
  new AppError('VAULT.KEYS_INVALID', 'internal', `Clés de chiffrement invalides : ${problemText[problem]}.`, {
    problem,
    ...(version === undefined ? {} : { version }),
  });

export const keysPermissions = (mode: number): AppError =>
  new AppError(
    'VAULT.KEYS_PERMISSIONS',
    'internal',
    'Le fichier de clés est accessible à d\'autres que son propriétaire : faites "chmod 600" sur ce fichier.',
    { mode: `0${(mode & 0o777).toString(8)}` },
  );

export const keysExist = (): AppError =>
  new AppError('VAULT.KEYS_EXIST', 'conflict', 'Un fichier de clés existe déjà à cet endroit : il ne sera pas écrasé.');

export const keysLocked = (): AppError =>
  new AppError(
    'VAULT.KEYS_LOCKED',
    'conflict',
    'Le fichier de clés est en cours de modification par un autre processus (fichier .lock présent). ' +
      'Réessayez ; si aucun autre processus ne tourne, supprimez le fichier .lock.',
  );

export const keyVersionUnknown = (version: number): AppError =>
  new AppError(
    'VAULT.KEY_VERSION_UNKNOWN',
    'internal',
    `La clé maîtresse version ${version} est introuvable dans le trousseau, même après relecture.`,
    { version },
  );

export const keyVersionCurrent = (version: number): AppError =>
  new AppError(
    'VAULT.KEY_VERSION_CURRENT',
    'conflict',
    `La version ${version} est la clé maîtresse courante : elle ne peut pas être retirée.`,
    {
      version,
    },
  );

export const erased = (): AppError =>
  new AppError('VAULT.ERASED', 'not_found', 'Les données personnelles de cette personne ont été effacées.');

export const integrity = (): AppError =>
  new AppError('VAULT.INTEGRITY', 'internal', 'Données chiffrées altérées ou déplacées : lecture refusée.');

export const indexValueInvalid = (kind: string): AppError =>
  new AppError('VAULT.INDEX_VALUE_INVALID', 'invalid', `Valeur de recherche invalide (${kind}).`, { kind });

export const personIdInvalid = (): AppError =>
  new AppError('VAULT.PERSON_ID_INVALID', 'internal', 'Identifiant de personne vide ou trop long pour le chiffrement.');
