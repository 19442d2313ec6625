/**
 * `vigie audit head` extends the disclosure log's Merkle tree and prints the new tree head;
 * `vigie audit verify` recomputes the whole log (each row's leaf hash, the tree at every stored head,
 * each head's MAC) and fails (exit 1) on the first tampering it finds.
 * `vigie audit prove --seq <n>` prints the inclusion proof of one disclosure under the latest head;
 * `vigie audit consistency --from <taille>` the consistency proof of an older head with the latest.
 */
import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import { advanceLogHead, verifyLog } from '../../audit/log-heads.js';
import type { LogHead, LogHeadDeps, LogProblem, LogVerification } from '../../audit/log-heads.js';
import type { ConsistencyProof, DisclosureProof } from '../../audit/log-proofs.js';
import { proveDisclosure, proveHeadConsistency } from '../../audit/log-proofs.js';
import { systemClock } from '../../domain/clock.js';
import { logHeadDeps } from '../../services/log-heads.js';
import { keysOf, withStore } from '../app-context.js';
import type { CliIo } from '../io.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, integerAtLeast, positiveInteger, withStoreOptions } from '../store-options.js';

const number = new Intl.NumberFormat('fr-FR');

interface JsonFlag {
  readonly json?: boolean;
}

/** Runs `work` on the log of the configured store, its heads sealed with the key file's service key. */
const onLog = <T>(config: Config, work: (deps: LogHeadDeps) => Promise<T>): Promise<T> =>
  withStore(config, (store) => work(logHeadDeps({ store, keys: keysOf(config), clock: systemClock })));

export async function auditHeadCommand(config: Config, io: CliIo, flags: JsonFlag = {}): Promise<LogHead | null> {
  const head = await onLog(config, advanceLogHead);
  if (flags.json) io.out(JSON.stringify(head));
  else if (head === null) io.out('Le journal des divulgations est vide : aucune tête d’arbre.');
  else io.out(`Tête d’arbre : ${number.format(head.treeSize)} divulgations, racine ${head.rootHash}.`);
  return head;
}

const PROBLEM_TEXT: Readonly<Record<LogProblem['kind'], string>> = {
  leaf_altered: 'ligne modifiée après coup (son empreinte ne correspond plus à son contenu)',
  head_mismatch:
    'l’arbre recalculé ne correspond plus à la tête enregistrée (ligne supprimée, insérée, déplacée ou réécrite)',
  head_forged: 'tête d’arbre dont le sceau est faux (écrite sans le fichier de clés)',
  head_beyond_log: 'tête d’arbre couvrant plus de lignes que le journal n’en contient (lignes supprimées)',
};

const where = (p: LogProblem): string =>
  'seq' in p ? `ligne n° ${p.seq}` : `tête à ${number.format(p.treeSize)} lignes`;

export async function auditVerifyCommand(config: Config, io: CliIo, flags: JsonFlag = {}): Promise<LogVerification> {
  const result = await onLog(config, (deps) => verifyLog(deps));
  if (flags.json) io.out(JSON.stringify(result));
  else {
    io.out(`${number.format(result.rows)} divulgations et ${number.format(result.heads)} têtes d’arbre vérifiées.`);
    for (const p of result.problems) io.out(`  ${where(p)} : ${PROBLEM_TEXT[p.kind]}`);
  }
  if (!result.ok)
    throw new AppError(
      'AUDIT.LOG_TAMPERED',
      'conflict',
      'Le journal des divulgations a été altéré : conservez cette base en l’état et prévenez l’officier de sécurité.',
    );
  if (!flags.json) io.out('Journal intègre.');
  return result;
}

export async function auditProveCommand(
  config: Config,
  io: CliIo,
  flags: JsonFlag & { readonly seq: number },
): Promise<DisclosureProof> {
  const proof = await onLog(config, (deps) => proveDisclosure(deps, flags.seq));
  if (flags.json) io.out(JSON.stringify(proof));
  else {
    io.out(
      `Divulgation n° ${proof.seq} : feuille ${number.format(proof.leafIndex)} de l’arbre à ${number.format(proof.treeSize)} divulgations, racine ${proof.root}.`,
    );
    io.out(`Empreinte de la feuille : ${proof.leafHash}`);
    io.out(`Chemin d’audit (${proof.proof.length} empreintes, de la feuille vers la racine) :`);
    for (const h of proof.proof) io.out(`  ${h}`);
    io.out('Preuve d’inclusion vérifiée.');
  }
  return proof;
}

export async function auditConsistencyCommand(
  config: Config,
  io: CliIo,
  flags: JsonFlag & { readonly from: number },
): Promise<ConsistencyProof> {
  const proof = await onLog(config, (deps) => proveHeadConsistency(deps, flags.from));
  if (flags.json) io.out(JSON.stringify(proof));
  else {
    io.out(`Tête à ${number.format(proof.oldTreeSize)} divulgations (racine ${proof.oldRoot})`);
    io.out(`  → tête à ${number.format(proof.newTreeSize)} divulgations (racine ${proof.newRoot}).`);
    io.out(`Preuve de cohérence (${proof.proof.length} empreintes) :`);
    for (const h of proof.proof) io.out(`  ${h}`);
    io.out('Preuve de cohérence vérifiée : l’ancienne tête est un préfixe de la dernière.');
  }
  return proof;
}

export function registerAudit(program: Command, io: CliIo): void {
  const audit = program
    .command('audit')
    .description('intégrité du journal des divulgations (arbre de Merkle, RFC 6962)');
  withStoreOptions(
    audit.command('head').description('étend l’arbre aux nouvelles divulgations et affiche la tête d’arbre'),
  )
    .option('--json', 'affiche la tête en JSON')
    .action(async (flags: JsonFlag & StoreOptions) => void (await auditHeadCommand(configOf(io, flags), io, flags)));
  withStoreOptions(
    audit.command('verify').description('recalcule tout le journal et vérifie chaque ligne et chaque tête d’arbre'),
  )
    .option('--json', 'affiche le résultat en JSON')
    .action(async (flags: JsonFlag & StoreOptions) => void (await auditVerifyCommand(configOf(io, flags), io, flags)));
  withStoreOptions(
    audit
      .command('prove')
      .description('prouve qu’une divulgation figure sous la dernière tête d’arbre (preuve d’inclusion)'),
  )
    .requiredOption('--seq <numéro>', 'numéro (seq) de la divulgation', positiveInteger('--seq'))
    .option('--json', 'affiche la preuve en JSON')
    .action(
      async (flags: JsonFlag & StoreOptions & { seq: number }) =>
        void (await auditProveCommand(configOf(io, flags), io, flags)),
    );
  withStoreOptions(
    audit
      .command('consistency')
      .description('prouve qu’une ancienne tête d’arbre est un préfixe de la dernière (preuve de cohérence)'),
  )
    .requiredOption(
      '--from <taille>',
      'taille (nombre de divulgations) de l’ancienne tête',
      integerAtLeast('--from', 0),
    )
    .option('--json', 'affiche la preuve en JSON')
    .action(
      async (flags: JsonFlag & StoreOptions & { from: number }) =>
        void (await auditConsistencyCommand(configOf(io, flags), io, flags)),
    );
}
