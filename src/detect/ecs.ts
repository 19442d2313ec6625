/**
 * Alerts as Elastic Common Schema documents, one JSON object per line, for a SIEM
 * (https://www.elastic.co/guide/en/ecs/current/): `@timestamp`, `event.*`, `user.id`,
 * `organization.id`, `source.ip`, `rule.name`, `message` (French).
 */
import type { Alert, Severity } from './alerts.js';

export const ECS_VERSION = '8.11.0';

const SEVERITY_SCORE: Readonly<Record<Severity, number>> = { low: 21, medium: 47, high: 73, critical: 99 };

const TYPES: Readonly<Record<string, readonly string[]>> = {
  step_up: ['info'],
  slow_down: ['denied'],
  mask: ['denied'],
  suspend_credential: ['denied', 'user'],
  suspend_channel: ['denied'],
  containment_lifted: ['change', 'user'],
  containment_confirmed: ['info', 'user'],
};

export function ecsDocument(alert: Alert): Record<string, unknown> {
  const review = alert.action.startsWith('containment_');
  return {
    '@timestamp': new Date(alert.at).toISOString(),
    ecs: { version: ECS_VERSION },
    event: {
      id: alert.id,
      kind: review ? 'event' : 'alert',
      category: review ? ['iam', 'configuration'] : ['intrusion_detection', 'iam'],
      type: TYPES[alert.action] ?? ['info'],
      action: alert.action.replaceAll('_', '-'),
      dataset: 'vigie.detection',
      module: 'vigie',
      severity: SEVERITY_SCORE[alert.severity],
      outcome: 'success',
    },
    ...(alert.accountId ? { user: { id: alert.accountId } } : {}),
    ...(alert.organisationId ? { organization: { id: alert.organisationId } } : {}),
    ...(alert.sourceIp ? { source: { ip: alert.sourceIp } } : {}),
    rule: { name: alert.rule, ruleset: 'vigie-detection' },
    message: alert.message,
    labels: {
      severity: alert.severity,
      ...(alert.sessionRef ? { session_ref: alert.sessionRef } : {}),
      ...(alert.containmentId ? { containment_id: alert.containmentId } : {}),
    },
  };
}

export const ecsLine = (alert: Alert): string => `${JSON.stringify(ecsDocument(alert))}\n`;
