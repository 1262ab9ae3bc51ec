import {
  ApolloServer,
  type ApolloServerOptions,
  type ApolloServerPlugin,
  HeaderMap,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { addResolversToSchema } from '@graphql-tools/schema';
import { buildSchema } from 'graphql';
import type { Context } from '../app/context.js';
import type { Config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { graphqlMediaType } from '../shared/media-type.js';
import { annotateOperation } from '../shared/tracer.js';
import { formatError } from './errors.js';
import { typeDefs, typeDefsWithoutDescriptions } from './generated/type-defs.js';
import { inputGuard } from './inputs.js';
import { type DocumentLimits, lengthRefusal, limitRules, limitsFor, type RequestRefusal, responseSizeRefusal } from './limits.js';
import { resolvers } from './resolvers.js';
import { scopeGuard } from './scopes.js';
import { resolveTrustedDocument, TrustedDocuments } from './trusted-documents.js';

/**
 * The Apollo Server of a stage. Introspection and stack traces follow the stage's settings, never
 * NODE_ENV (Lambda does not set it, and Apollo would treat that as development). Apollo's landing
 * page loads from a CDN, so it is off everywhere; the local dev server serves its own offline IDE.
 *
 * Every document is bounded (docs/limits.md): its length before parsing, its tokens by the parser
 * itself (graphql-armor's token plugin answers 500 where Apollo's parser answers 400), and its
 * depth, aliases, directives and cost by graphql-armor's rules. Inputs are bounded before anything
 * runs (`inputGuard`): every list's length, and every variable's type, refused without quoting it.
 */
export function createServer(config: Config): ApolloServer<Context> {
  const limits = limitsFor(config.settings);
  const hideSuggestions = !config.settings.fieldSuggestions;
  return new BoundedApolloServer(
    {
      schema: executableSchema(config.settings),
      introspection: config.settings.introspection,
      includeStacktraceInErrorResponses: config.settings.stackTraces,
      formatError,
      allowBatchedHttpRequests: false,
      // Apollo refuses a request a browser could send cross-site without a preflight (a GET, or a POST of a simple
      // content type) unless one of these headers is there. A browser sends `Authorization` cross-site only after a
      // preflight (it is no CORS-safelisted header), and every request of this API carries its bearer token there, so
      // a request with one cannot be forged by another site: urql's GETs and any client's are answered as they are.
      csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
      parseOptions: { maxTokens: limits.tokens },
      validationRules: limitRules(limits),
      validationOptions: { hideSuggestions },
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        // No Apollo usage reporting and no federated inline traces (the schema is no subgraph): their protobuf module
        // is not bundled (infra/bundling.ts, BUNDLE_ALIASES), and disabled they are never loaded.
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        // Apollo's cache control hooks every field of every response to compute a policy that, with no
        // `@cacheControl` hint in the schema and no default max-age, is always "uncacheable": `noStore` answers the
        // same header without the per-field hook.
        ApolloServerPluginCacheControlDisabled(),
        noStore,
        scopeGuard,
        inputGuard,
        traceOperation,
        ...(hideSuggestions ? [withoutSuggestions] : []),
      ],
    },
    { limits, trustedDocuments: new TrustedDocuments(limits.tokens), enforceTrustedDocuments: config.trustedDocuments },
  );
}

/**
 * `cache-control: no-store` on every GraphQL response, as Apollo's cache-control plugin sets it on a response whose
 * policy is uncacheable, which every response of this schema is (it has no `@cacheControl` hints, and the server no
 * default max-age). A header already set stays.
 */
const noStore: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/**
 * Puts the operation's name and type on the request's X-Ray subsegment (a no-op where tracing is off), and in Lambda
 * writes one `operation` log line per request: name, type, duration and error codes, never variables. The stage's
 * dashboard reads these lines for its per-operation widgets (infra/alarms.ts); `npm start` and the tests stay quiet.
 */
const traceOperation: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    const started = performance.now();
    let operation: string | undefined;
    let operationType: string | undefined;
    return {
      async didResolveOperation(request) {
        operation = request.operationName ?? 'anonymous';
        operationType = request.operation?.operation;
        annotateOperation(operation, operationType);
      },
      async willSendResponse({ response }) {
        if (!IN_LAMBDA || operation === undefined) return;
        const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
        logger.info('operation', {
          operation: operation.slice(0, 100),
          operationType,
          durationMs: Math.round(performance.now() - started),
          errorCodes: errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')),
        });
      },
    };
  },
};

/** Lambda sets this for every function; `npm start`, tests and scripts do not. */
const IN_LAMBDA = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;

/**
 * The schema with its resolvers. Built from the SDL without validating it again: codegen and the
 * tests validate it, and skipping it (and source locations) takes a third off the cold start.
 */
function executableSchema(settings: Config['settings']) {
  // Descriptions are seen only through introspection: where it is off, the schema is built without them.
  const sdl = settings.introspection ? typeDefs : typeDefsWithoutDescriptions;
  return addResolversToSchema({
    schema: buildSchema(sdl, { assumeValidSDL: true, noLocation: true }),
    resolvers,
    updateResolversInPlace: true,
  });
}

interface Guards {
  readonly limits: DocumentLimits;
  readonly trustedDocuments: TrustedDocuments;
  readonly enforceTrustedDocuments: boolean;
}

/**
 * Checks what must be checked before Apollo parses a document: its length, and whether it is a
 * trusted document (filling in the text of a manifest id); and, after it ran, the size of its answer
 * (RESPONSE_MAX_BYTES). Apollo's plugins cannot refuse a request
 * this early: an error thrown from `requestDidStart` becomes a 500.
 */
class BoundedApolloServer extends ApolloServer<Context> {
  constructor(
    options: ApolloServerOptions<Context>,
    private readonly guards: Guards,
  ) {
    super(options);
  }

  override async executeHTTPGraphQLRequest(
    request: Parameters<ApolloServer<Context>['executeHTTPGraphQLRequest']>[0],
  ): Promise<HTTPGraphQLResponse> {
    const accept = request.httpGraphQLRequest.headers.get('accept');
    const refusal = lengthRefusal(queryOf(request.httpGraphQLRequest), this.guards.limits);
    if (refusal) return refuse(refusal, accept);
    const resolved = resolveTrustedDocument(request.httpGraphQLRequest, this.guards.trustedDocuments, this.guards.enforceTrustedDocuments);
    if ('refusal' in resolved) return refuse(resolved.refusal, accept);
    const response = await super.executeHTTPGraphQLRequest({ ...request, httpGraphQLRequest: resolved.request });
    // An answer over the ceiling is refused whole, never cut: a client gets valid JSON naming the limit.
    if (response.body.kind !== 'complete') return response;
    const tooLarge = responseSizeRefusal(Buffer.byteLength(response.body.string));
    return tooLarge ? refuse(tooLarge, accept) : response;
  }
}

function queryOf(request: HTTPGraphQLRequest): unknown {
  if (request.method === 'GET') return new URLSearchParams(request.search).get('query') ?? undefined;
  return typeof request.body === 'object' && request.body !== null && 'query' in request.body ? request.body.query : undefined;
}

/**
 * A refusal as Apollo answers a bad request: HTTP 400, code BAD_REQUEST, in the media type the client asked for; or,
 * for a persisted query the server does not know, as Apollo answers that (HTTP 200, PERSISTED_QUERY_NOT_FOUND, not to
 * be cached), which is what makes an APQ client send the text.
 */
function refuse(refusal: RequestRefusal, accept: string | undefined): HTTPGraphQLResponse {
  const error = { message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code ?? 'BAD_REQUEST' } };
  const headers = new HeaderMap([['content-type', graphqlMediaType(accept)]]);
  if (refusal.code === 'PERSISTED_QUERY_NOT_FOUND') headers.set('cache-control', 'private, no-cache, must-revalidate');
  return {
    status: refusal.status ?? 400,
    headers,
    body: { kind: 'complete', string: `${JSON.stringify({ errors: [error] })}\n` },
  };
}

/**
 * Where field suggestions are off, graphql-js computes none during validation (`hideSuggestions`);
 * a variable's coercion error would still say 'Did you mean the enum value "LEAD"?', because Apollo
 * does not pass that option to `execute`. This strips what remains, as Apollo's own plugin does for
 * validation errors only.
 */
const withoutSuggestions: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) error.message = error.message.replace(/ ?Did you mean .+\?$/s, '');
      },
    };
  },
};
