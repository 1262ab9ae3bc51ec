import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadSeed } from '../data/load-seed.js';
import { scriptStage, selectScriptTables } from '../local/environment.js';

/**
 * npm run seed [-- --stage NAME]
 * Loads the seed (the source document's facts only) into the local platform's tables, the tables
 * MEASURES_TABLE and the others name, or a deployed stage's tables. Idempotent: what exists stays as
 * it is, and a second run writes nothing.
 */
const { values } = parseArgs({ options: { stage: { type: 'string' } } });
try {
  selectScriptTables(values.stage);
  // This script writes no capacity report, so the stage's perturbation key is not needed: any key will do.
  process.env.PERTURBATION_KEY ??= randomBytes(32).toString('base64url');
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const [{ documentClient }, { scriptDb }] = await Promise.all([import('../functions/shared/dynamo.js'), import('../local/environment.js')]);
try {
  const { created } = await loadSeed(scriptDb(documentClient));
  process.stdout.write(
    created === 0
      ? `The seed was already in stage ${scriptStage(values.stage)}: nothing written.\n`
      : `Loaded the seed into stage ${scriptStage(values.stage)}: ${created} records written.\n`,
  );
} catch (error) {
  process.stderr.write(`Could not load the seed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
