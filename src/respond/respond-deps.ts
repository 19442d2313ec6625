import type { LogHead } from '../audit/log-heads.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../storage/database.js';

/** What the response use cases need, passed explicitly. */
export interface RespondDeps {
  readonly store: Store;
  readonly clock: Clock;
  /**
   * Seals a tree head over the disclosure log as it stands and returns it (null for an empty log).
   * The scope counts exactly the rows under it, so anyone can prove each of them is in the log.
   */
  readonly sealHead: () => Promise<LogHead | null>;
}

/** The security officer (or DPO) acting, as the security log records them. */
export interface Actor {
  readonly accountId: string;
  readonly sourceIp: string | null;
}
