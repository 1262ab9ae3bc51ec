import type { Fields, Item } from './entity.js';

/**
 * Where a record comes from, so that a reader can tell the source document's facts from what was
 * typed, imported or invented. Every writer stores it with the record; a record stored before it
 * existed is read from its `source` text (the seed's and the demo set's own wording) or, without one,
 * as written through the API.
 */
export type ProvenanceKind = 'SOURCE_DOCUMENT' | 'PUBLIC_FACT' | 'IMPORT' | 'API' | 'DEMO' | 'SYNTHETIC';
export const provenanceKinds: readonly ProvenanceKind[] = ['SOURCE_DOCUMENT', 'PUBLIC_FACT', 'IMPORT', 'API', 'DEMO', 'SYNTHETIC'];

export interface Provenance {
  readonly kind: ProvenanceKind;
  /** The source text, the public fact's citation, or the import file and line; null for the API. */
  readonly reference: string | null;
  /** When the platform recorded it; null for a record stored before provenance was kept. */
  readonly recordedAt: string | null;
}

/** A record that says where it comes from. */
export interface Recorded {
  readonly provenance?: Provenance;
}

/** Invented records: what totals count in `demoShare`. */
export const isInvented = (p: Provenance | undefined) => p?.kind === 'DEMO' || p?.kind === 'SYNTHETIC';

export const apiProvenance = (at: string): Provenance => ({ kind: 'API', reference: null, recordedAt: at });

/** The item attribute. */
export function provenanceAttribute(p: Provenance | undefined): Item {
  if (!p) return {};
  return {
    provenance: { kind: p.kind, ...(p.reference ? { reference: p.reference } : {}), ...(p.recordedAt ? { recordedAt: p.recordedAt } : {}) },
  };
}

/** The stored provenance, when the item has one. */
export function readProvenance(f: Fields): { provenance?: Provenance } {
  const p = f.optionalObject('provenance', (g) => ({
    kind: g.oneOf('kind', provenanceKinds),
    reference: g.nullableString('reference'),
    recordedAt: g.nullableString('recordedAt'),
  }));
  return p ? { provenance: p } : {};
}

/** How the seed and the demo set worded `source` before provenance was stored. */
const LEGACY: readonly (readonly [string, ProvenanceKind])[] = [
  ['Public fact', 'PUBLIC_FACT'],
  ['Demo data', 'DEMO'],
  ['Synthetic data', 'SYNTHETIC'],
];

/** The kind a `source` text gives: the seed's facts are the source document's unless they say they are public facts. */
export function kindOfSource(source: string): ProvenanceKind {
  return LEGACY.find(([prefix]) => source.startsWith(prefix))?.[1] ?? 'SOURCE_DOCUMENT';
}

/** A record's provenance: stored, or read from its `source`, or else the API's at `writtenAt`. */
export function provenanceOf(r: Recorded & { readonly source?: string }, writtenAt: string | null = null): Provenance {
  if (r.provenance) return r.provenance;
  if (r.source) return { kind: kindOfSource(r.source), reference: r.source, recordedAt: null };
  return { kind: 'API', reference: null, recordedAt: writtenAt };
}
