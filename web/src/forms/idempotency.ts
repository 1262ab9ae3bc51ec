import { useCallback, useRef } from 'react';

/** A key the server accepts: 1–128 letters, digits, ".", "_", ":" or "-". */
export function newIdempotencyKey(): string {
  return `web:${crypto.randomUUID()}`;
}

/**
 * One idempotency key per submission. The key is made at the first attempt and kept until the
 * server has answered it with success or the form changes, so a double click, or a retry after a
 * lost answer or an expired session, sends the same key and the server writes once.
 */
export function useIdempotencyKey() {
  const key = useRef<string | null>(null);
  const current = useCallback(() => {
    key.current ??= newIdempotencyKey();
    return key.current;
  }, []);
  /** After success, or when what is being submitted changes: the next submission is a new one. */
  const settle = useCallback(() => {
    key.current = null;
  }, []);
  return { current, settle };
}
