import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { importMeasures } from '../data/import-measures.js';
import { selectConfiguredOrLocalTables } from '../local/environment.js';

/**
 * npm run import -- FILE.csv
 * Loads measures and responsibilities (columns in data/import-measures.ts and docs/data.md). By default
 * into the local platform (`npm start` running; DynamoDB Local on DYNAMODB_PORT, default 8000); with
 * MEASURES_TABLE and the other table variables set, into those tables at the SDK's configured endpoint.
 */
const { positionals } = parseArgs({ allowPositionals: true });
const file = positionals[0];
if (!file) {
  process.stderr.write('Usage: npm run import -- FILE.csv\n');
  process.exit(2);
}
selectConfiguredOrLocalTables();
const [{ documentClient }, { scriptDb }] = await Promise.all([import('../functions/shared/dynamo.js'), import('../local/environment.js')]);

const csv = readFileSync(file, 'utf8');
const actor = { subject: `import:${userInfo().username}:${basename(file)}`, roles: ['COORDINATOR' as const], agencyId: null };
const interactive = process.stderr.isTTY;
let lastShown = -1;
const result = await importMeasures(
  scriptDb(documentClient),
  csv,
  actor,
  (done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (interactive) process.stderr.write(`\rImporting: ${done}/${total} rows (${percent}%)`);
    else if (percent >= lastShown + 10 || done === total) {
      lastShown = percent;
      process.stderr.write(`Importing: ${done}/${total} rows (${percent}%)\n`);
    }
  },
  basename(file),
);
if (interactive && result.problems.length === 0 && result.rows > 0) process.stderr.write('\n');
if (result.problems.length > 0) {
  for (const p of result.problems) process.stderr.write(`${file}:${p.line}: ${p.message}\n`);
  process.stderr.write(`${result.problems.length} problem(s) in ${result.rows} row(s); nothing was written.\n`);
  process.exit(1);
}
process.stdout.write(`${result.rows} row(s) read, ${result.writes} write(s) made${result.writes === 0 ? ' (already up to date)' : ''}.\n`);
