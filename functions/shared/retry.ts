import { ConflictError } from './errors.js';

/** How often a write that lost a race to another writer is tried again from a fresh read. */
const STALE_RETRIES = 3;

/**
 * Runs a write that reads first; when another writer changed what it read in between (a retryable
 * CONFLICT), it clears the request's read cache and runs again, so racing writers of different things all land.
 */
export async function withFreshRead<T>(reads: { readonly loaderCache: { clearAll(): void } }, write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ConflictError) || error.extensions.retryable !== true || attempt >= STALE_RETRIES) throw error;
      reads.loaderCache.clearAll();
    }
  }
}
