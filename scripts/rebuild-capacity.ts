import { rebuildCapacityRollups } from '../data/rebuild-capacity.js';
import { selectConfiguredOrLocalTables } from '../local/environment.js';

/**
 * npm run rebuild:capacity
 * Rebuilds the capacity rollups under SUPPRESSION_THRESHOLD (default 5), PERTURBATION_BOUND (default 3) and
 * PERTURBATION_KEY (docs/privacy.md),
 * for the local platform or the tables MEASURES_TABLE and the others name (then give it the stage's
 * PERTURBATION_KEY too). Stop capacity reporting while it runs.
 */
selectConfiguredOrLocalTables();
const [{ documentClient }, { scriptDb }] = await Promise.all([import('../functions/shared/dynamo.js'), import('../local/environment.js')]);
const db = scriptDb(documentClient);
const result = await rebuildCapacityRollups(db);
process.stdout.write(
  `Rebuilt ${result.rollups} rollup items from ${result.markers} last reports per period (threshold ${db.config.suppressionThreshold}, noise bound ±${db.config.perturbationBound}); removed ${result.removed} stale ones.\n`,
);
