/**
 * The `vigie` command. Each command lives in commands/<name>.ts and exports `register<Name>`;
 * this list is the registration point (bench.ts is the lead's `vigie bench disclose`).
 * Help and errors are in French; an error prints one line `Erreur [CODE] : message` (no stack
 * trace) and exits with 1 (2 for a usage error).
 */
import { Command } from 'commander';
import type { Option } from 'commander';
import { registerAccount } from './commands/account.js';
import { registerAudit } from './commands/audit.js';
import { registerBench } from './commands/bench.js';
import { registerDemo } from './commands/demo.js';
import { registerIncident } from './commands/incident.js';
import { registerInit } from './commands/init.js';
import { registerKeys } from './commands/keys.js';
import { registerSeed } from './commands/seed.js';
import { registerServe } from './commands/serve.js';
import { registerSimulate } from './commands/simulate.js';
import { describeFailure, isInformational } from './cli-errors.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';

type Registration = (program: Command, io: CliIo) => void;

export const COMMANDS: readonly Registration[] = [
  registerInit,
  registerSeed,
  registerServe,
  registerDemo,
  registerAccount,
  registerKeys,
  registerAudit,
  registerBench,
  registerSimulate,
  registerIncident,
];

const TITLES: Readonly<Record<string, string>> = {
  'Usage:': 'Utilisation :',
  'Options:': 'Options :',
  'Commands:': 'Commandes :',
  'Arguments:': 'Arguments :',
  'Global Options:': 'Options générales :',
};

/** Commander's option description, with the default value announced in French. */
function optionDescription(option: Option): string {
  const value = option.defaultValue as unknown;
  if (value === undefined || option.negate) return option.description;
  return `${option.description} (défaut : ${typeof value === 'string' ? `« ${value} »` : String(value)})`;
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('vigie')
    .description('Vigie : le registre des demandeurs d’emploi qui ne fuit pas en silence')
    .version('0.1.0', '-V, --version', 'affiche la version')
    .helpOption('-h, --help', 'affiche l’aide')
    .helpCommand('help [commande]', 'affiche l’aide d’une commande')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureHelp({ styleTitle: (title) => TITLES[title] ?? title, optionDescription })
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: () => undefined,
    });
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (isInformational(e)) return e.exitCode;
    const { line, exitCode } = describeFailure(e);
    io.err(line);
    return exitCode;
  }
}
