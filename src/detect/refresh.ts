/**
 * The background refresh: what the database learned since the budget step last looked (new
 * baselines, account statuses, canaries, containments decided or lifted elsewhere) is brought into
 * memory and into the shared store. Runs outside any disclosure transaction.
 */
import type { Db } from '../storage/database.js';
import type { Containment } from './account-state.js';
import { containmentOf } from './account-state.js';
import { baselineOf } from './baselines.js';
import { loadCanaries } from './canary-registry.js';
import type { ExposureCounters } from './counters.js';
import type { Engine } from './engine.js';
import { DAY_MS } from './paris-time.js';
import type { Responder } from './responder.js';

const CHUNK = 500;
const ACTIVE = ['active', 'confirmed'];

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export class Refresher {
  private baselinesSeen = -1;

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    private readonly responder: Responder,
    private readonly counters: ExposureCounters,
  ) {}

  async run(now: number, options: { allBaselines?: boolean } = {}): Promise<void> {
    this.engine.canaries = await loadCanaries(this.db);
    await this.baselines(options.allBaselines === true);
    await this.statuses();
    await this.lifted();
    await this.active(now);
  }

  private async baselines(all: boolean): Promise<void> {
    let query = this.db.selectFrom('detection_baselines').selectAll();
    if (!all && this.baselinesSeen >= 0) query = query.where('computed_at', '>', this.baselinesSeen);
    for (const row of await query.execute()) {
      this.baselinesSeen = Math.max(this.baselinesSeen, row.computed_at);
      const state = this.engine.accounts.get(row.account_id);
      if (state) state.baseline = baselineOf(row);
    }
  }

  private async statuses(): Promise<void> {
    for (const ids of chunks([...this.engine.accounts.keys()])) {
      const rows = await this.db.selectFrom('accounts').select(['id', 'status']).where('id', 'in', ids).execute();
      for (const r of rows) {
        const state = this.engine.accounts.get(r.id);
        if (state) state.status = r.status;
      }
    }
  }

  /** Containments held in memory that a security officer has lifted meanwhile. */
  private async lifted(): Promise<void> {
    const held: Containment[] = [...this.engine.channels.values()];
    for (const s of this.engine.accounts.values()) if (s.containment) held.push(s.containment);
    const byId = new Map(held.map((c) => [c.id, c]));
    for (const ids of chunks([...byId.keys()])) {
      const rows = await this.db
        .selectFrom('containments')
        .select(['id', 'status'])
        .where('id', 'in', ids)
        .where('status', 'not in', ACTIVE)
        .execute();
      for (const r of rows) {
        const c = byId.get(r.id);
        if (c) await this.engine.release(c);
      }
    }
  }

  /** Containments decided by other processes, and the recent suspensions the channel rule counts. */
  private async active(now: number): Promise<void> {
    const rows = await this.db
      .selectFrom('containments')
      .select(['id', 'kind', 'account_id', 'organisation_id', 'at'])
      .where('status', 'in', ACTIVE)
      .execute();
    for (const c of rows.map(containmentOf)) {
      if (c.kind === 'channel' && c.organisationId !== null) {
        if (!this.engine.channels.has(c.organisationId)) this.engine.channels.set(c.organisationId, c);
        await this.counters.setContained('organisation', c.organisationId, c.id);
        continue;
      }
      if (c.accountId === null) continue;
      const state = this.engine.accounts.get(c.accountId);
      if (state && !state.containment) state.containment = c;
      await this.counters.setContained('account', c.accountId, c.id);
      if (c.organisationId !== null && now - c.at < DAY_MS) this.noteSuspension(c);
    }
  }

  private noteSuspension(c: Containment): void {
    const org = c.organisationId ?? '';
    const list = this.responder.suspensions.get(org) ?? [];
    if (!list.some((x) => x.accountId === c.accountId && x.at === c.at))
      list.push({ accountId: c.accountId ?? '', at: c.at });
    this.responder.suspensions.set(org, list);
  }
}
