import { createRepositories } from '../functions/app/context.js';
import { type MeasureRecord, NOT_REPORTED } from '../functions/plans/plans.model.js';
import type { Db } from '../functions/shared/db.js';
import { ConflictError } from '../functions/shared/errors.js';
import type { Viewer } from '../functions/shared/viewer.js';

/** The actor the audit trail names for the migration's writes. */
export const migrationActor: Viewer = { subject: 'system:migrate-not-reported', roles: [], agencyId: null };

export interface MigrationResult {
  /** Measures moved from PLANNED to NOT_REPORTED. */
  readonly moved: number;
  /** PLANNED measures left as they are: changed since they were created, or reported on. */
  readonly kept: number;
}

/**
 * Moves measures whose PLANNED was only the platform's old default to NOT_REPORTED: a measure is
 * moved when it is PLANNED, has never changed since it was created (version 1) and has no status
 * report. A PLANNED that someone set or reported is a claim, and stays. Each move is an ordinary
 * measure replacement (version + 1, the plan's counters, an audit entry naming this migration);
 * a measure changed meanwhile is left for the next run. Idempotent: a second run moves nothing.
 */
export async function migrateNotReported(makeDb: () => Db, at = new Date().toISOString()): Promise<MigrationResult> {
  let moved = 0;
  let kept = 0;
  const { plans } = createRepositories(makeDb());
  for (const plan of await plans.plans()) {
    const planned = (await plans.allMeasures(plan.id)).filter((m) => m.status === 'PLANNED');
    for (const measure of planned) {
      if (measure.version !== 1 || (await hasReport(makeDb, measure))) {
        kept++;
        continue;
      }
      const next: MeasureRecord = { ...measure, status: NOT_REPORTED, version: measure.version + 1, updatedAt: at };
      try {
        await createRepositories(makeDb()).plans.updateMeasure(measure, next, measure.version, migrationActor);
        moved++;
      } catch (error) {
        // Changed since it was read: someone touched it, so its status is theirs now.
        if (!(error instanceof ConflictError)) throw error;
        kept++;
      }
    }
  }
  return { moved, kept };
}

async function hasReport(makeDb: () => Db, measure: MeasureRecord): Promise<boolean> {
  const page = await createRepositories(makeDb()).plans.statusReports(measure.id, 1, null);
  return page.items.length > 0;
}
