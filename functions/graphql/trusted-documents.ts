import { createHash } from 'node:crypto';
import type { HTTPGraphQLRequest } from '@apollo/server';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { type DocumentNode, Kind, parse, visit } from 'graphql';
// Imported, not read from disk, so that the bundled handler carries the manifest inside it.
import clientManifest from '../../client/generated/trusted-documents.json' with { type: 'json' };
import type { RequestRefusal } from './limits.js';

/**
 * Codegen's manifest of the client operations (scripts/codegen-trusted-documents.cjs): "sha256:<hex>" →
 * the normalized document text, for each operation as written and as a normalizing client sends it.
 */
export type Manifest = Readonly<Record<string, string>>;

export const manifest: Manifest = clientManifest;

/**
 * The text a document is known by: fields marked `@client` and `@connection` directives removed (they
 * never reach a server), `__typename` in every selection set below the operation's root (as Apollo
 * Client and urql add it), then graphql-tools' stable print, which sorts selections and variables and
 * collapses white space. A document as written and as a normalizing client sends it, however either
 * is printed, come to the same text: the manifest's entry in the form a normalizing client sends.
 */
export function normalizeDocument(document: DocumentNode): string {
  const clientOnly = (node: { readonly directives?: readonly { readonly name: { readonly value: string } }[] }) =>
    node.directives?.some((d) => d.name.value === 'client') ? null : undefined;
  const sanitized = visit(document, {
    [Kind.FIELD]: clientOnly,
    [Kind.FRAGMENT_SPREAD]: clientOnly,
    [Kind.INLINE_FRAGMENT]: clientOnly,
    [Kind.DIRECTIVE]: (directive) => (directive.name.value === 'connection' ? null : undefined),
  });
  const typed = visit(sanitized, {
    [Kind.SELECTION_SET](node, _key, parent) {
      if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((x) => x.kind === Kind.FIELD && x.name.value === '__typename' && !x.alias)) return undefined;
      return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
    },
  });
  return printExecutableGraphQLDocument(typed);
}

/** Whether any field, spread or fragment of a document carries `@client`. */
function hasClientDirective(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.DIRECTIVE](directive) {
      if (directive.name.value === 'client') found = true;
    },
  });
  return found;
}

/** SHA-256 of a text, in hex: what APQ's `sha256Hash` is, and the hex of a manifest id. */
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export const documentIdOf = (normalized: string) => `sha256:${sha256Hex(normalized)}`;

/** The documents of a manifest, looked up by id or by text. */
export class TrustedDocuments {
  private readonly texts: ReadonlyMap<string, string>;
  /** Texts of the manifest, each with the id of its form a normalizing client sends, as they are met. */
  private readonly canonical = new Map<string, string>();
  /** APQ hashes of trusted documents as clients print them, registered by APQ's second request (`persist`). */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly maxTokens: number,
    private readonly documents: Manifest = manifest,
  ) {
    this.texts = new Map(Object.entries(documents).map(([id, text]) => [text, id]));
  }

  /** The text of a document id, "sha256:<hex>" (or the bare hex, as APQ sends it). */
  text(id: string): string | undefined {
    const key = /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
    return Object.hasOwn(this.documents, key) ? this.documents[key] : undefined;
  }

  /** The text an APQ hash was registered for (`persist`), if this instance remembers it. */
  persisted(hash: string): string | undefined {
    return this.hashes.get(hash);
  }

  /**
   * Remembers the text of an APQ hash, for a text that is a trusted document (the caller checks it and the hash).
   * Clients print the same document in few ways, but a caller could send endless variants (spaces, comments), so the
   * instance keeps at most four hashes per manifest entry and forgets the oldest first: a forgotten hash costs its
   * client one PERSISTED_QUERY_NOT_FOUND and a retry with the text, never a refusal.
   */
  persist(hash: string, text: string): void {
    this.hashes.delete(hash);
    this.hashes.set(hash, text);
    const most = 4 * this.texts.size;
    for (const oldest of this.hashes.keys()) {
      if (this.hashes.size <= most) break;
      this.hashes.delete(oldest);
    }
  }

  /**
   * The id of the manifest's document this text is, however it is printed and whether or not it
   * asks for __typename (the id of the form a normalizing client sends); undefined when it is none.
   */
  idOf(query: string): string | undefined {
    const cached = this.canonical.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      // Bounded like every parse, so an unknown document costs no more here than it would later.
      document = parse(query, { maxTokens: this.maxTokens, noLocation: true });
    } catch {
      return undefined;
    }
    // A client strips its `@client` fields before it sends a document, so one that arrives with them is not a
    // client's: the normalization drops them for the manifest, and were they let through here, a document with
    // fields of its own would pass as a trusted one and run with those fields the day `@client` meant anything to
    // the server. The text that runs must be exactly the text that was hashed, less nothing.
    if (hasClientDirective(document)) return undefined;
    const id = documentIdOf(normalizeDocument(document));
    if (!Object.hasOwn(this.documents, id)) return undefined;
    // Only the manifest's own texts are remembered, so what clients send cannot grow the cache.
    if (this.texts.has(query)) this.canonical.set(query, id);
    return id;
  }
}

/** The GraphQL-over-HTTP parameters this module reads and may rewrite. */
interface Params {
  readonly query?: unknown;
  readonly extensions?: unknown;
  readonly documentId?: unknown;
}

/** What becomes of a request: the request to run (perhaps with the manifest's text filled in), or why it is refused. */
export type Resolution = { readonly request: HTTPGraphQLRequest } | { readonly refusal: RequestRefusal };

/**
 * Resolves manifest ids in every stage, so a client may send an id (`documentId`, as GraphQL over
 * HTTP's persisted documents name it, or APQ's `extensions.persistedQuery.sha256Hash`) instead of
 * the text; with `enforce` (TRUSTED_DOCUMENTS=true), the manifest's documents are the only ones a
 * request may run. A manifest id is answered here, never by Apollo's APQ, which would compare it
 * with the hash of the client's own printing of the document and register any document it is sent.
 */
export function resolveTrustedDocument(request: HTTPGraphQLRequest, documents: TrustedDocuments, enforce: boolean): Resolution {
  const params = paramsOf(request);
  // A batch, or a body that is not JSON: Apollo refuses those itself.
  if (!params) return enforce ? { refusal: notTrusted('this request holds no single document') } : { request };
  const { persistedQuery, ...extensions } = isRecord(params.extensions) ? params.extensions : {};
  const hash = isRecord(persistedQuery) && typeof persistedQuery.sha256Hash === 'string' ? persistedQuery.sha256Hash : undefined;
  const id = hash ?? (typeof params.documentId === 'string' ? params.documentId : undefined);
  if (id !== undefined) {
    const text = documents.text(id) ?? (hash !== undefined ? documents.persisted(hash) : undefined);
    if (text === undefined) {
      if (!enforce) return { request };
      // APQ: a hash the server does not know asks the client for the text (Apollo's answer, which APQ clients act on).
      if (hash !== undefined && params.query === undefined) return { refusal: PERSISTED_QUERY_NOT_FOUND };
      if (hash !== undefined && typeof params.query === 'string')
        return persistedWithText(request, documents, hash, params.query, extensions);
      return { refusal: notTrusted(`${id} is not one of them`) };
    }
    if (params.query !== undefined && (typeof params.query !== 'string' || documents.idOf(params.query) !== documents.idOf(text))) {
      return { refusal: { message: `The document sent is not the trusted document ${id}.` } };
    }
    return { request: withParams(request, { query: params.query ?? text, extensions }) };
  }
  if (enforce && (typeof params.query !== 'string' || documents.idOf(params.query) === undefined)) {
    return { refusal: notTrusted('this document is not one of them') };
  }
  return { request };
}

/** Apollo's words and code for an APQ hash it does not know: what Apollo Client's and urql's APQ links retry on. */
const PERSISTED_QUERY_NOT_FOUND: RequestRefusal = { message: 'PersistedQueryNotFound', code: 'PERSISTED_QUERY_NOT_FOUND', status: 200 };

/**
 * APQ's second request: the text with its hash. The hash must be the text's own (as Apollo checks it), and the text a
 * trusted document in any printing; then the hash is remembered for it, so the client's next request may send the hash
 * alone. Nothing else is ever remembered: APQ here registers no document the manifest does not hold.
 */
function persistedWithText(
  request: HTTPGraphQLRequest,
  documents: TrustedDocuments,
  hash: string,
  query: string,
  extensions: Record<string, unknown>,
): Resolution {
  if (sha256Hex(query) !== hash) return { refusal: { message: 'provided sha does not match query' } };
  if (documents.idOf(query) === undefined) return { refusal: notTrusted('this document is not one of them') };
  documents.persist(hash, query);
  return { request: withParams(request, { query, extensions }) };
}

const notTrusted = (why: string): RequestRefusal => ({ message: `Only this API's trusted documents are accepted, and ${why}.` });

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function paramsOf(request: HTTPGraphQLRequest): Params | undefined {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    let extensions: unknown;
    try {
      extensions = search.has('extensions') ? JSON.parse(search.get('extensions') ?? '') : undefined;
    } catch {
      extensions = undefined;
    }
    return { query: search.get('query') ?? undefined, extensions, documentId: search.get('documentId') ?? undefined };
  }
  return isRecord(request.body) ? request.body : undefined;
}

/** The request with its document text and extensions replaced, and no id left for Apollo's APQ to act on. */
function withParams(request: HTTPGraphQLRequest, params: { query: unknown; extensions: Record<string, unknown> }): HTTPGraphQLRequest {
  const hasExtensions = Object.keys(params.extensions).length > 0;
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    search.set('query', String(params.query));
    search.delete('documentId');
    if (hasExtensions) search.set('extensions', JSON.stringify(params.extensions));
    else search.delete('extensions');
    return { ...request, search: search.toString() };
  }
  const { documentId: _resolved, extensions: _replaced, ...body } = request.body as Record<string, unknown>;
  return { ...request, body: { ...body, query: params.query, ...(hasExtensions ? { extensions: params.extensions } : {}) } };
}
