import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'samordning.draft.';

/**
 * Form state that outlives the page: kept in this tab's sessionStorage on every change, so a
 * renewed session, a redirect to sign in, a reload or a crash never loses what was typed. Cleared
 * once the server has taken it.
 */
export function useDraft<T extends object>(
  key: string,
  initial: T,
): [T, (patch: Partial<T>) => void, (next?: T) => void, (next: T) => void, boolean] {
  const storageKey = PREFIX + key;
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = sessionStorage.getItem(storageKey);
      return raw ? { ...initial, ...(JSON.parse(raw) as Partial<T>) } : initial;
    } catch {
      return initial;
    }
  });
  const dirty = useRef(false);
  // Whether the user has typed something not yet taken by the server (kept from an earlier visit too).
  const [touched, setTouched] = useState(() => hasDraft(key));
  // The form's empty state, as it was at mount.
  const initialRef = useRef(initial);
  useEffect(() => {
    if (!dirty.current) return;
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(value));
    } catch {
      // Storage full or refused: the draft lives in memory only.
    }
  }, [storageKey, value]);
  const update = useCallback((patch: Partial<T>) => {
    dirty.current = true;
    setTouched(true);
    setValue((current) => ({ ...current, ...patch }));
  }, []);
  const replace = useCallback((next: T) => {
    dirty.current = true;
    setTouched(true);
    setValue(next);
  }, []);
  /** Forgets the kept draft; the form shows `next` (what the server now holds) or its empty state. */
  const clear = useCallback(
    (next?: T) => {
      dirty.current = false;
      try {
        sessionStorage.removeItem(storageKey);
      } catch {
        // Nothing kept.
      }
      setValue(next ?? initialRef.current);
    },
    [storageKey],
  );
  return [value, update, clear, replace, touched];
}

/** Whether a draft is kept for this form (to tell the user that work was restored). */
export function hasDraft(key: string): boolean {
  try {
    return sessionStorage.getItem(PREFIX + key) !== null;
  } catch {
    return false;
  }
}
