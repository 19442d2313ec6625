import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialect.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-detection.js';
import * as m003 from './003-identity.js';
import * as m004 from './004-lifecycle.js';
import * as m005 from './005-log-heads.js';
import * as m100 from './100-sign-in-hardening.js';
import * as m130 from './130-incidents.js';
import * as m131 from './131-notices.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- see 001-initial.ts */
type VersionedMigration = { up(db: Kysely<any>, a: DialectAdapter): Promise<void> };

/** Versioned migrations, in order. Never edit a released one: add the next. */
export const MIGRATIONS: ReadonlyArray<readonly [string, VersionedMigration]> = [
  ['001-initial', m001],
  ['002-detection', m002],
  ['003-identity', m003],
  ['004-lifecycle', m004],
  ['005-log-heads', m005],
  ['100-sign-in-hardening', m100],
  ['130-incidents', m130],
  ['131-notices', m131],
];
