import { migrateFundingIndexes } from '../data/migrate-funding-indexes.js';
import { migrateNotReported } from '../data/migrate-not-reported.js';
import { selectConfiguredOrLocalTables } from '../local/environment.js';

/**
 * npm run migrate -- funding-indexes
 * Gives allocations and disbursements stored before the funding lists their index keys. Idempotent.
 *
 * npm run migrate -- not-reported
 * Moves measures whose PLANNED was only the platform's old default (never changed, never reported)
 * to NOT_REPORTED, for the local platform or the tables MEASURES_TABLE and the others name.
 * Idempotent: run it again and it moves nothing.
 *
 * npm run migrate -- calendar
 * Gives responsibilities stored before the reporting calendar their plan's duty index keys and sets
 * every plan's counters to a recount (data/recount-plan.ts). Idempotent.
 *
 * npm run migrate -- list-counters
 * Sets the counters that hold lists to their caps (docs/limits.md) to a recount: each plan's counters (with its
 * measures' milestones and indicators), the counts of plans, agencies and budget lines (per year and per plan). Run
 * once per stage after deploying the caps, with no writer active. Idempotent.
 */
const MIGRATIONS = ['not-reported', 'calendar', 'funding-indexes', 'list-counters'] as const;
const name = process.argv[2];
if (!MIGRATIONS.includes(name as (typeof MIGRATIONS)[number])) {
  process.stderr.write(`Name a migration: npm run migrate -- <${MIGRATIONS.join('|')}>\n`);
  process.exit(2);
}
selectConfiguredOrLocalTables();
const [{ documentClient }, { scriptDb }] = await Promise.all([import('../functions/shared/dynamo.js'), import('../local/environment.js')]);
if (name === 'calendar') {
  const { migrateCalendar } = await import('../data/recount-plan.js');
  const done = await migrateCalendar(() => scriptDb(documentClient));
  process.stdout.write(`Reindexed ${done.responsibilities} responsibilities; recounted the counters of ${done.plans} plans.\n`);
} else if (name === 'list-counters') {
  const { migrateListCounters } = await import('../data/migrate-list-counters.js');
  const done = await migrateListCounters(() => scriptDb(documentClient));
  process.stdout.write(`Recounted ${done.plans} plans, ${done.agencies} agencies and ${done.budgetLines} budget lines.\n`);
} else if (name === 'funding-indexes') {
  const result = await migrateFundingIndexes(scriptDb(documentClient));
  process.stdout.write(
    `Indexed ${result.allocations} allocations and ${result.disbursements} disbursements; ${result.unchanged} already were.\n`,
  );
} else {
  const result = await migrateNotReported(() => scriptDb(documentClient));
  process.stdout.write(
    `Moved ${result.moved} measures from PLANNED to NOT_REPORTED; kept ${result.kept} PLANNED measures that were set or reported.\n`,
  );
}
