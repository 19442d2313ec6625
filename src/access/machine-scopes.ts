/**
 * Scopes of machine clients (the mobile app's back end, partner integrations) and the persona routes
 * each opens. A scope belongs to one role: the client's service account has that role in its
 * organisation, and the gate authorises its reads by relationship like any account of that role (a
 * training organisation's integration sees its own trainees, nothing more). A route not listed here
 * is closed to every machine token.
 */
import type { Role } from '../domain/roles.js';

export interface ScopeDefinition {
  readonly role: Role;
  readonly description: string;
  /** `METHOD /route/template`, as Fastify names the route. */
  readonly routes: readonly string[];
}

const FOLLOW_UP_KINDS = ['entry', 'attendance', 'interruption', 'exit'] as const;

export const MACHINE_SCOPES = {
  'sessions:read': {
    role: 'trainer',
    description: 'Lire les sessions de formation de l’organisme',
    routes: ['GET /api/training/sessions'],
  },
  'trainee:read': {
    role: 'trainer',
    description: 'Lire les stagiaires des sessions de l’organisme',
    routes: ['GET /api/training/sessions/:id/trainees', 'GET /api/training/trainees/:personId'],
  },
  'followup:write': {
    role: 'trainer',
    description: 'Déclarer entrées, présences, interruptions et sorties',
    routes: FOLLOW_UP_KINDS.map((k) => `POST /api/training/enrolments/:id/${k}`),
  },
  'files:read': {
    role: 'partner_adviser',
    description: 'Lire les dossiers cotraités par le partenaire',
    routes: ['GET /api/partner/files', 'GET /api/partner/files/:personId'],
  },
} as const satisfies Readonly<Record<string, ScopeDefinition>>;

export type MachineScope = keyof typeof MACHINE_SCOPES;
export const MACHINE_SCOPE_NAMES = Object.keys(MACHINE_SCOPES) as [MachineScope, ...MachineScope[]];

export const isMachineScope = (s: string): s is MachineScope => Object.hasOwn(MACHINE_SCOPES, s);

/** True when one of `scopes` opens `method route`. */
export function scopesAllow(scopes: readonly string[], method: string, route: string): boolean {
  const key = `${method} ${route}`;
  return scopes.some((s) => isMachineScope(s) && (MACHINE_SCOPES[s].routes as readonly string[]).includes(key));
}

/** The single role these scopes belong to, or null if they mix roles (or are empty). */
export function roleOfScopes(scopes: readonly MachineScope[]): Role | null {
  const roles = new Set(scopes.map((s) => MACHINE_SCOPES[s].role));
  return roles.size === 1 ? ([...roles][0] ?? null) : null;
}
