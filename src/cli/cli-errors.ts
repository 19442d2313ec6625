/**
 * Errors as the CLI prints them: one French line with a stable code, never a stack trace.
 * AppErrors carry their own code and message; commander's usage errors are translated.
 */
import { CommanderError } from 'commander';
import { isAppError } from '../domain/errors.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE: Readonly<Record<string, readonly [string, string]>> = {
  'commander.unknownOption': ['USAGE.UNKNOWN_OPTION', 'option inconnue'],
  'commander.unknownCommand': ['USAGE.UNKNOWN_COMMAND', 'commande inconnue'],
  'commander.missingArgument': ['USAGE.MISSING_ARGUMENT', 'argument manquant'],
  'commander.optionMissingArgument': ['USAGE.MISSING_VALUE', 'valeur manquante pour l’option'],
  'commander.missingMandatoryOptionValue': ['USAGE.REQUIRED_OPTION', 'option obligatoire absente'],
  'commander.excessArguments': ['USAGE.TOO_MANY_ARGUMENTS', 'trop d’arguments'],
  'commander.conflictingOption': ['USAGE.CONFLICTING_OPTIONS', 'options incompatibles'],
};

/** Commander errors that are not failures: help or version shown. */
export const isInformational = (e: unknown): e is CommanderError =>
  e instanceof CommanderError && ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code);

function usageLine(e: CommanderError): string {
  if (e.code === 'commander.invalidArgument') {
    return `Erreur [USAGE.INVALID_VALUE] : ${e.message.replace(/^error: /, '').replace(/^option '([^']+)' argument '([^']*)' is invalid\. ?/, 'valeur « $2 » refusée pour $1 : ')}`;
  }
  const [code, text] = USAGE[e.code] ?? ['USAGE.INVALID', 'utilisation incorrecte'];
  const quoted = /'([^']+)'/.exec(e.message)?.[1];
  return `Erreur [${code}] : ${text}${quoted ? ` « ${quoted} »` : ''}. Voir « vigie --help ».`;
}

/** The line to print for an error, and the exit code. */
export function describeFailure(e: unknown): { line: string; exitCode: number } {
  if (e instanceof CommanderError) return { line: usageLine(e), exitCode: EXIT_USAGE };
  if (isAppError(e)) return { line: `Erreur [${e.code}] : ${e.message}`, exitCode: EXIT_FAILURE };
  const detail = e instanceof Error ? `${e.name} : ${e.message.split('\n')[0] ?? ''}` : String(e);
  return { line: `Erreur [INTERNAL] : erreur inattendue (${detail}).`, exitCode: EXIT_FAILURE };
}
