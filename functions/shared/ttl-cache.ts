/**
 * Values loaded by key and kept for a fixed time from when they were loaded, in one Lambda container. Concurrent
 * requests for a key that is not held share one load; a load that fails is not kept, so the next request tries
 * again. At most `maxEntries` keys are held: a new key past that drops the oldest.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { readonly expires: number; readonly value: Promise<V> }>();

  constructor(
    private readonly options: {
      /** How long a loaded value is served, in milliseconds. */
      readonly ttlMs: number;
      readonly maxEntries: number;
      /** The clock, in milliseconds (Date.now by default). */
      readonly now?: () => number;
    },
  ) {}

  get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const now = (this.options.now ?? Date.now)();
    const held = this.entries.get(key);
    if (held && held.expires > now) return held.value;
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const value = load(key);
    this.entries.set(key, { expires: now + this.options.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
