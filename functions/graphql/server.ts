import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../shared/config.js';
import type { Context } from './context.js';
import { formatError } from './errors.js';
import { typeDefs } from './generated/type-defs.js';
import { resolvers } from './resolvers.js';

/**
 * The Apollo Server of a stage. Introspection and stack traces follow the stage's settings, never
 * NODE_ENV (Lambda does not set it, and Apollo would treat that as development). Apollo's landing
 * page loads from a CDN, so it is off everywhere; the local dev server serves its own offline IDE.
 */
export function createServer(config: Config): ApolloServer<Context> {
  return new ApolloServer<Context>({
    typeDefs,
    resolvers,
    introspection: config.settings.introspection,
    includeStacktraceInErrorResponses: config.settings.stackTraces,
    formatError,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
}
