/**
 * Sessions are planned for about 12 enrolments each and enrolments choose sessions at random, so a
 * popular session can end up with more trainees than seats: its capacity is raised to fit.
 */
import type { Db } from '../../storage/database.js';

export async function fitSessionCapacities(db: Db): Promise<number> {
  const counts = await db
    .selectFrom('enrolments as e')
    .innerJoin('training_sessions as s', 's.id', 'e.session_id')
    .select(['e.session_id', 's.capacity', (eb) => eb.fn.countAll<number>().as('enrolled')])
    .where('e.status', '<>', 'cancelled')
    .groupBy(['e.session_id', 's.capacity'])
    .execute();
  const over = counts.filter((c) => Number(c.enrolled) > c.capacity);
  await db.transaction().execute(async (tx) => {
    for (const c of over)
      await tx
        .updateTable('training_sessions')
        .set({ capacity: Number(c.enrolled) })
        .where('id', '=', c.session_id)
        .execute();
  });
  return over.length;
}
