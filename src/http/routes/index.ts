/**
 * Every route file of the API. Adding a resource: write `routes/<resource>.ts` exporting a
 * RouteModule (see route.ts), then add it to this list.
 */
import type { RouteModule } from '../route.js';
import { accountRoutes } from './accounts.js';
import { adviserRoutes } from './adviser.js';
import { assistedCodeRoutes } from './assisted-codes.js';
import { authRoutes } from './auth.js';
import { healthRoutes } from './health.js';
import { incidentRoutes } from './incidents.js';
import { machineClientRoutes } from './machine-clients.js';
import { meRoutes } from './me.js';
import { mfaEnrolRoutes } from './mfa-enrol.js';
import { mfaFactorRoutes } from './mfa-factors.js';
import { mfaSignInRoutes } from './mfa-sign-in.js';
import { oidcRoutes } from './oidc.js';
import { partnerRoutes } from './partner.js';
import { passwordResetRoutes } from './password-reset.js';
import { pageRoutes } from '../pages/pages.js';
import { recruiterRoutes } from './recruiter.js';
import { securityAlertRoutes } from './security-alerts.js';
import { securityEventRoutes } from './security-events.js';
import { sessionRoutes } from './sessions.js';
import { trainingSessionRoutes } from './training-sessions.js';
import { trainingRoutes } from './training.js';

export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  pageRoutes,
  authRoutes,
  mfaSignInRoutes,
  mfaEnrolRoutes,
  mfaFactorRoutes,
  assistedCodeRoutes,
  sessionRoutes,
  accountRoutes,
  trainingRoutes,
  trainingSessionRoutes,
  adviserRoutes,
  partnerRoutes,
  recruiterRoutes,
  meRoutes,
  passwordResetRoutes,
  securityEventRoutes,
  oidcRoutes,
  machineClientRoutes,
  securityAlertRoutes,
  incidentRoutes,
];
