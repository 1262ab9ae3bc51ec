import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root and its local state folder (.data/, ignored by git). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = join(ROOT, '.data');

/** The local integrations' clients (`npm run integration -- create`), their secrets hashed. */
export const CLIENTS_FILE = join(DATA_DIR, 'integration-clients.json');
