import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailSchemas } from '../functions/events/catalogue.js';
import { ROOT } from '../local/paths.js';

/** npm run events:schemas — writes docs/events/<DetailType>.schema.json from the event catalogue (a test checks drift). */
const dir = join(ROOT, 'docs', 'events');
mkdirSync(dir, { recursive: true });
for (const [type, schema] of Object.entries(detailSchemas()))
  writeFileSync(join(dir, `${type}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
// In the repository's format, so that `npm run lint` passes on what this writes.
spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', dir], { stdio: 'ignore' });
process.stdout.write(`Wrote ${Object.keys(detailSchemas()).length} schemas to docs/events/.\n`);
