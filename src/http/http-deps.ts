import type { AccessDeps } from '../access/access-deps.js';
import type { Config } from '../config/config.js';
import type { AppContext } from '../services/context.js';
import { insertRaisedAlert } from '../detect/alerts.js';

/** What route files receive: the application context, the configuration, and the access use cases' deps. */
export interface HttpDeps {
  readonly ctx: AppContext;
  readonly config: Config;
  readonly access: AccessDeps;
}

export const accessDepsOf = (ctx: AppContext, config: Config): AccessDeps => ({
  db: ctx.store.db,
  keys: ctx.keys,
  clock: ctx.clock,
  session: config.session,
  alerts: insertRaisedAlert,
});
