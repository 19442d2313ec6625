/** How `vigie incident …` prints incidents, scopes and people, in French (or as JSON). */
import type { BreachClock } from '../../domain/incidents.js';
import { CATEGORY_LABELS, EXPOSURE_CATEGORIES, INCIDENT_STATUS_LABELS } from '../../domain/incidents.js';
import { ORGANISATION_KIND_LABELS } from '../../domain/roles.js';
import type { OrganisationKind } from '../../domain/roles.js';
import type { IncidentSummary, IncidentView } from '../../respond/incidents.js';
import type { CampaignResult } from '../../respond/campaign.js';
import type { ScopePage } from '../../respond/people.js';
import type { ScopeRecord } from '../../storage/incident-scopes-repo.js';
import type { CliIo } from '../io.js';

const number = new Intl.NumberFormat('fr-FR');
const when = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
export const frenchTime = (t: number): string => when.format(new Date(t));

const hours = (ms: number): string => {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
};

export const clockLine = (c: BreachClock): string =>
  c.overdue
    ? `Délai de notification à la CNIL (72 h) dépassé de ${hours(c.remainingMs)} (échéance : ${frenchTime(c.deadline)}).`
    : `Délai de notification à la CNIL : ${hours(c.remainingMs)} restantes (échéance : ${frenchTime(c.deadline)}).`;

export function printIncidentLine(io: CliIo, s: IncidentSummary): void {
  const i = s.incident;
  io.out(`${i.reference}  ${i.id}  ${INCIDENT_STATUS_LABELS[i.status]}  ${i.title}`);
  if (i.status !== 'closed') io.out(`    ${clockLine(s.clock)}`);
}

export function printScope(io: CliIo, s: ScopeRecord, json = false): void {
  if (json) return io.out(JSON.stringify({ scope: s }));
  const t = s.totals;
  io.out(`Périmètre n° ${s.number}, du ${frenchTime(s.windowFrom)} au ${frenchTime(s.windowTo)} :`);
  io.out(
    `  ${number.format(t.people)} personnes, dont ${number.format(t.identifyingPeople)} avec au moins une donnée identifiante ; ${number.format(t.rows)} lignes du journal.`,
  );
  for (const c of EXPOSURE_CATEGORIES) io.out(`  ${CATEGORY_LABELS[c]} : ${number.format(t.byCategory[c])}`);
  for (const [kind, n] of Object.entries(t.byOrganisationKind))
    io.out(
      `  lu par ${ORGANISATION_KIND_LABELS[kind as OrganisationKind] ?? kind} : ${number.format(n.people)} personnes (${number.format(n.identifying)} identifiées)`,
    );
  io.out(
    `  Tête d’arbre scellée : ${number.format(s.head.treeSize)} divulgations (dernière n° ${s.head.lastSeq}), racine ${s.head.rootHash}.`,
  );
}

export function printIncident(io: CliIo, v: IncidentView, json = false): void {
  if (json) return io.out(JSON.stringify(v));
  const i = v.incident;
  io.out(`Incident ${i.reference} (${i.id}) : ${i.title}`);
  io.out(`  Statut : ${INCIDENT_STATUS_LABELS[i.status]}.`);
  io.out(
    `  Période : du ${frenchTime(i.windowFrom)} ${i.windowTo === null ? 'à maintenant' : `au ${frenchTime(i.windowTo)}`}.`,
  );
  for (const c of i.credentials)
    io.out(
      `  Identifiant : compte ${c.accountId}${c.sessionRef === null ? ' (toutes ses sessions)' : `, session ${c.sessionRef}`}`,
    );
  if (i.organisationId !== null) io.out(`  Canal de l’organisation ${i.organisationId}`);
  io.out(`  Prise de connaissance : ${frenchTime(i.awareAt)}.`);
  if (i.status !== 'closed') io.out(`  ${clockLine(v.clock)}`);
  if (v.scope) printScope(io, v.scope);
  io.out('  Historique :');
  for (const e of v.events) io.out(`    ${frenchTime(e.at)}  ${e.action}  ${e.accountId ?? ''}`);
}

export function printPeople(io: CliIo, page: ScopePage, json = false): void {
  if (json) return io.out(JSON.stringify(page));
  for (const p of page.people) {
    const name = p.name ? `${p.name.firstNames} ${p.name.lastName} (${p.name.identifier})` : '(non communiqué)';
    io.out(`${p.personId}  ${name}  ${p.fields.join(', ')}  ${frenchTime(p.firstAt)} → ${frenchTime(p.lastAt)}`);
  }
  if (page.next !== null) io.out(`Suite : --after ${page.next}`);
}

export function printCampaign(io: CliIo, r: CampaignResult, printDir: string, json = false): void {
  if (json) return io.out(JSON.stringify({ campaign: r, printDir }));
  const e = r.counts.email;
  const l = r.counts.letter;
  io.out(`Notifications : ${number.format(r.done)} sur ${number.format(r.total)}.`);
  io.out(`  Courriels acceptés par le relais : ${number.format(e.sent ?? 0)}.`);
  io.out(`  Courriers dans les fichiers d’impression : ${number.format(l.printed ?? 0)} (${printDir}).`);
  const none = (l.undeliverable ?? 0) + (e.undeliverable ?? 0);
  if (none > 0)
    io.out(`  Injoignables (ni adresse électronique ni adresse postale, ou dossier effacé) : ${number.format(none)}.`);
  if (r.inDoubt > 0)
    io.out(
      `  Présentés de nouveau après une interruption, avec le même identifiant de message : ${number.format(r.inDoubt)}.`,
    );
}
