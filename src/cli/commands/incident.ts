/**
 * `vigie incident open | scope | show | list | people | close`: the incident response of the
 * security officer / DPO, the same use cases as the API (respond/). Each action is recorded in the
 * security log under the officer given with `--as`; `--json` prints one JSON object.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { INCIDENT_STATUSES } from '../../domain/incidents.js';
import type { IncidentStatus } from '../../domain/incidents.js';
import { runCampaign } from '../../respond/campaign.js';
import { closeIncident, listIncidents, loadIncident, openIncident, showIncident } from '../../respond/incidents.js';
import { campaignDepsOf } from '../../http/respond-wiring.js';
import { ProgressBar } from '../progress-bar.js';
import { readScopePage } from '../../respond/people.js';
import { scopeIncident } from '../../respond/scope.js';
import { breachReader } from '../../services/breach-reader.js';
import { incidentOpening } from '../../services/incident-sources.js';
import { officerOf, withIncidentContext } from '../incident-context.js';
import type { CliIo } from '../io.js';
import type { StoreOptions } from '../store-options.js';
import { configOf, positiveInteger, withStoreOptions } from '../store-options.js';
import { printCampaign, printIncident, printIncidentLine, printPeople, printScope } from './incident-print.js';

interface Common extends StoreOptions {
  readonly json?: boolean;
  readonly as?: string;
}

interface OpenFlags extends Common {
  readonly title: string;
  readonly description?: string;
  readonly from?: number;
  readonly to?: number;
  readonly awareAt?: number;
  readonly account: string[];
  readonly session: string[];
  readonly organisation?: string;
  readonly alert?: string;
  readonly containment?: string;
  readonly lettersOnly?: boolean;
}

/** An instant: ISO 8601 (2026-07-12T09:30:00+02:00) or a date (2026-07-12, midnight UTC). */
export const instant = (value: string): number => {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
    throw new InvalidArgumentError('date attendue au format ISO 8601 (2026-07-12 ou 2026-07-12T09:30:00+02:00).');
  return t;
};
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--session <compte>:<référence>` */
function sessionOf(text: string): { accountId: string; sessionRef: string } {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1)
    throw new InvalidArgumentError('--session attend <compte>:<référence de session>.');
  return { accountId: text.slice(0, at), sessionRef: text.slice(at + 1) };
}

async function open(io: CliIo, flags: OpenFlags): Promise<void> {
  await withIncidentContext(configOf(io, flags), async (c) => {
    const officer = await officerOf(c, flags.as);
    const input = await incidentOpening(c.store.db, {
      title: flags.title,
      ...(flags.description !== undefined ? { description: flags.description } : {}),
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      to: flags.to ?? null,
      ...(flags.awareAt !== undefined ? { awareAt: flags.awareAt } : {}),
      credentials: [...flags.account.map((accountId) => ({ accountId })), ...flags.session.map(sessionOf)],
      organisationId: flags.organisation ?? null,
      ...(flags.alert !== undefined ? { alertId: flags.alert } : {}),
      ...(flags.containment !== undefined ? { containmentId: flags.containment } : {}),
      lettersOnly: flags.lettersOnly === true,
    });
    const incident = await openIncident(c.deps, officer.actor, input);
    printIncident(io, await showIncident(c.deps, incident.id), flags.json);
  });
}

async function scope(io: CliIo, id: string, flags: Common): Promise<void> {
  await withIncidentContext(configOf(io, flags), async (c) => {
    const officer = await officerOf(c, flags.as);
    if (!flags.json) io.err('Scellement d’une tête d’arbre du journal et calcul du périmètre…');
    printScope(io, await scopeIncident(c.deps, officer.actor, id), flags.json);
  });
}

async function show(io: CliIo, id: string, flags: Common): Promise<void> {
  await withIncidentContext(configOf(io, flags), async (c) =>
    printIncident(io, await showIncident(c.deps, id), flags.json),
  );
}

async function list(io: CliIo, flags: Common & { status?: IncidentStatus }): Promise<void> {
  await withIncidentContext(configOf(io, flags), async (c) => {
    const incidents = await listIncidents(c.deps, flags.status ? { status: flags.status } : {});
    if (flags.json) return io.out(JSON.stringify({ incidents }));
    if (incidents.length === 0) return io.out('Aucun incident.');
    for (const s of incidents) printIncidentLine(io, s);
  });
}

async function people(io: CliIo, id: string, flags: Common & { after?: string; limit: number }): Promise<void> {
  await withIncidentContext(configOf(io, flags), async (c) => {
    const officer = await officerOf(c, flags.as);
    const page = await readScopePage(c.deps, officer.actor, breachReader(c, officer.reader), {
      incidentId: id,
      after: flags.after ?? null,
      limit: flags.limit,
    });
    printPeople(io, page, flags.json);
  });
}

async function notify(io: CliIo, id: string, flags: Common): Promise<void> {
  const config = configOf(io, flags);
  await withIncidentContext(config, async (c) => {
    const officer = await officerOf(c, flags.as);
    const deps = campaignDepsOf(c, config, officer.reader, await loadIncident(c.deps, id));
    const bar = new ProgressBar(io, 'Notifications');
    try {
      const result = await runCampaign(deps, officer.actor, id, (p) => bar.update(p.done, p.total));
      bar.finish();
      printCampaign(io, result, deps.printDir, flags.json);
    } finally {
      deps.mailer?.close();
    }
  });
}

async function close(io: CliIo, id: string, flags: Common & { reason: string }): Promise<void> {
  await withIncidentContext(configOf(io, flags), async (c) => {
    const officer = await officerOf(c, flags.as);
    await closeIncident(c.deps, officer.actor, id, flags.reason);
    printIncident(io, await showIncident(c.deps, id), flags.json);
  });
}

const status = (value: string): IncidentStatus => {
  if (!(INCIDENT_STATUSES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`statut attendu : ${INCIDENT_STATUSES.join(', ')}.`);
  return value as IncidentStatus;
};

const AS = [
  '--as <identifiant>',
  'identifiant (adresse professionnelle) de l’officier de sécurité ou du DPO qui agit',
] as const;

export function registerIncident(program: Command, io: CliIo): void {
  const incident = program
    .command('incident')
    .description('incidents de sécurité : périmètre, notification, rapport à la CNIL');
  const sub = (name: string, description: string) =>
    withStoreOptions(incident.command(name).description(description)).option('--json', 'affiche le résultat en JSON');
  sub('open', 'ouvre un incident : à la main, depuis une alerte ou une mesure de confinement')
    .requiredOption('--title <titre>', 'titre de l’incident (sans donnée personnelle)')
    .option('--description <texte>', 'nature de la violation, circonstances')
    .option('--from <date>', 'début de la période (défaut : 30 jours avant l’alerte ou la mesure)', instant)
    .option('--to <date>', 'fin de la période, exclue (défaut : jusqu’au calcul du périmètre)', instant)
    .option('--aware-at <date>', 'prise de connaissance : départ du délai de 72 heures (défaut : maintenant)', instant)
    .option('--account <id>', 'compte compromis (toutes ses sessions) ; répétable', collect, [])
    .option('--session <compte:référence>', 'une session compromise d’un compte ; répétable', collect, [])
    .option('--organisation <id>', 'canal d’une organisation partenaire (tous ses comptes)')
    .option('--alert <id>', 'alerte de détection à l’origine de l’incident')
    .option('--containment <id>', 'mesure de confinement à l’origine de l’incident')
    .option('--letters-only', 'prévenir par courrier même quand une adresse électronique existe')
    .option(...AS)
    .action((flags: OpenFlags) => open(io, flags));
  sub('scope', 'établit le périmètre exact depuis le journal des divulgations')
    .argument('<id>', 'identifiant de l’incident')
    .option(...AS)
    .action((id: string, flags: Common) => scope(io, id, flags));
  sub('show', 'affiche un incident : délai de 72 heures, périmètre, historique')
    .argument('<id>', 'identifiant de l’incident')
    .action((id: string, flags: Common) => show(io, id, flags));
  sub('list', 'liste les incidents, du plus récent au plus ancien')
    .option('--status <statut>', `filtre : ${INCIDENT_STATUSES.join(', ')}`, status)
    .action((flags: Common & { status?: IncidentStatus }) => list(io, flags));
  sub('people', 'nomme les personnes du périmètre (lecture enregistrée au journal des divulgations)')
    .argument('<id>', 'identifiant de l’incident')
    .option('--after <personne>', 'reprend après cette personne (page suivante)')
    .option('--limit <n>', 'personnes par page (200 au plus)', positiveInteger('--limit'), 50)
    .option(...AS)
    .action((id: string, flags: Common & { after?: string; limit: number }) => people(io, id, flags));
  sub(
    'notify',
    'notifie chaque personne exposée, une fois : courriel, ou courrier (fichiers d’impression) ; reprend une campagne interrompue',
  )
    .argument('<id>', 'identifiant de l’incident')
    .option(...AS)
    .action((id: string, flags: Common) => notify(io, id, flags));
  sub('close', 'clôt un incident')
    .argument('<id>', 'identifiant de l’incident')
    .requiredOption('--reason <motif>', 'motif de la clôture')
    .option(...AS)
    .action((id: string, flags: Common & { reason: string }) => close(io, id, flags));
}
