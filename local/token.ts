import { parseArgs } from 'node:util';
import { issueToken, loadOrCreateKeys } from './auth.js';
import { DATA_DIR } from './paths.js';

/**
 * Prints one local access token, valid 12 hours, and nothing else:
 *   npm run --silent token -- --role coordinator|funder|viewer
 *   npm run --silent token -- --agency nav
 */
const { values } = parseArgs({ options: { role: { type: 'string' }, agency: { type: 'string' }, subject: { type: 'string' } } });
const roles = new Set(['coordinator', 'funder', 'viewer']);
const groups: string[] = [];
if (values.role) {
  if (!roles.has(values.role)) {
    process.stderr.write(`Unknown role "${values.role}": use coordinator, funder or viewer (or --agency <id>).\n`);
    process.exit(2);
  }
  groups.push(values.role);
}
if (values.agency) {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.agency)) {
    process.stderr.write(`"${values.agency}" is not an agency id (lower-case letters, digits and dashes).\n`);
    process.exit(2);
  }
  groups.push(`agency:${values.agency}`);
}
if (groups.length === 0) {
  process.stderr.write('Usage: npm run --silent token -- --role coordinator|funder|viewer | --agency <id>\n');
  process.exit(2);
}
const keys = await loadOrCreateKeys(DATA_DIR);
process.stdout.write(`${await issueToken(keys, { groups, subject: values.subject })}\n`);
