import { parseArgs } from 'node:util';
import { generateDemo } from '../data/demo.js';
import { loadSeed } from '../data/load-seed.js';
import { scriptStage, selectScriptTables } from '../local/environment.js';

/**
 * npm run seed:demo [-- --size N] [-- --stage NAME]
 * Adds the clearly labelled demo set (or, with --synthetic, a synthetic set for benchmarks), in a plan
 * of its own, to the local platform (`npm start` running), to the tables named by MEASURES_TABLE and
 * the others, or to a deployed stage's tables. Never to prod.
 */
const { values } = parseArgs({
  options: { size: { type: 'string', default: '1' }, synthetic: { type: 'boolean', default: false }, stage: { type: 'string' } },
});
const size = Number(values.size);
if (!Number.isInteger(size) || size < 1 || size > 100) {
  process.stderr.write('--size must be a whole number from 1 to 100.\n');
  process.exit(2);
}
const stage = scriptStage(values.stage);
if (stage === 'prod') {
  process.stderr.write(
    'Refusing to add invented data to prod: the demo set is for local, dev and test stages only. Load the real seed with `npm run seed -- --stage prod`.\n',
  );
  process.exit(2);
}
if (values.stage && !process.env.PERTURBATION_KEY) {
  process.stderr.write(
    "The demo set reports capacity: set PERTURBATION_KEY to the stage's perturbation key (its secret GraphqlPerturbationKey…), so the rollups' perturbed cells are the stage's.\n",
  );
  process.exit(2);
}
try {
  selectScriptTables(values.stage);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const [{ documentClient }, { scriptDb }] = await Promise.all([import('../functions/shared/dynamo.js'), import('../local/environment.js')]);
const makeDb = () => scriptDb(documentClient);

try {
  await loadSeed(makeDb());
} catch (error) {
  process.stderr.write(
    `Could not reach the tables of stage ${stage} (is \`npm start\` running?): ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
const shown = new Map<string, number>();
const result = await generateDemo(makeDb, {
  size,
  kind: values.synthetic ? 'synthetic' : 'demo',
  progress: (what, done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (percent >= (shown.get(what) ?? -10) + 10 || done === total) {
      shown.set(what, percent);
      process.stderr.write(`${what}: ${done}/${total} (${percent}%)\n`);
    }
  },
});
process.stdout.write(
  `Added to stage ${stage}: ${result.agencies} agencies, ${result.shelters} shelters with ${result.reports} capacity reports, ${result.budgetLines} budget lines with ${result.allocations} allocations and ${result.disbursements} disbursements.\n`,
);
