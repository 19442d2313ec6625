import type { Clock } from '../domain/clock.js';
import type { Gate } from '../disclosure/types.js';
import type { Detection } from '../detect/detection.js';
import type { Store } from '../storage/database.js';
import type { KeyringSource } from '../vault/keyring.js';

/**
 * Everything a use case needs, passed explicitly (no globals). Built once by the CLI (`serve`,
 * `demo`) or by each test. `keys` is the vault's key source: sealing and blind indexes.
 */
export interface AppContext {
  readonly store: Store;
  readonly keys: KeyringSource;
  readonly clock: Clock;
  readonly gate: Gate;
  /** The detection engine behind the gate's budget step, when serving (paging and lookup signals, reviews). */
  readonly detection?: Detection;
}
