import Negotiator from 'negotiator';

/** The two media types a GraphQL answer over HTTP may have, as Apollo Server writes them. */
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
export const APPLICATION_JSON = 'application/json; charset=utf-8';

/**
 * The media type of a GraphQL answer to a request with this `Accept` header, chosen as Apollo Server chooses it for
 * its own errors (the same negotiator, the same order): `application/graphql-response+json` when the client prefers
 * it (the GraphQL over HTTP specification's type), else `application/json`, also when the header is missing or asks
 * for something else. The answers made before Apollo runs (a refusal of the body, the document, the origin) use it,
 * so that a client that asked for the specification's type gets it on every answer, refusals included.
 */
export function graphqlMediaType(accept: string | undefined): string {
  if (!accept) return APPLICATION_JSON;
  const preferred = new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]);
  return preferred === GRAPHQL_RESPONSE_JSON ? GRAPHQL_RESPONSE_JSON : APPLICATION_JSON;
}

/** A header of an API Gateway event, whatever the case of its name (API Gateway lower-cases them; a test may not). */
export function headerOf(headers: Readonly<Record<string, string | undefined>> | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
