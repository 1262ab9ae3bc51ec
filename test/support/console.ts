import { vi } from 'vitest';

/**
 * What a client library warns or logs as an error while a test runs (Apollo Client's cache warns of lost data so),
 * collected instead of printed, for the test to expect none. The spies are undone by `vi.restoreAllMocks()`.
 */
export function consoleWarnings(): unknown[] {
  const warnings: unknown[] = [];
  vi.spyOn(console, 'warn').mockImplementation((...args) => warnings.push(args));
  vi.spyOn(console, 'error').mockImplementation((...args) => warnings.push(args));
  return warnings;
}
