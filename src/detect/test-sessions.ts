/**
 * For detection tests: the sessions of a training organisation start on `date` (Paris), so that
 * their trainees are in its workflow of the day (workflow.ts); the shared `enrol` fixture's
 * sessions start months away, outside any workflow.
 */
import type { Db } from '../storage/database.js';

export async function sessionsStartOn(db: Db, organisationId: string, date: string): Promise<void> {
  await db
    .updateTable('training_sessions')
    .set({ starts_on: date })
    .where('organisation_id', '=', organisationId)
    .execute();
}
