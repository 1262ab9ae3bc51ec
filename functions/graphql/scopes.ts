import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../app/context.js';
import { ERROR_ANSWERS, graphqlExtensionsOf } from '../shared/error-answers.js';
import { InsufficientScopeError } from '../shared/errors.js';
import { assertOperationScope } from '../shared/policy.js';

/**
 * Refuses an operation whose scope the caller's token lacks (an integration's: a query needs `samordning/read`, a
 * mutation `samordning/write`) before any variable is read or any resolver runs, so a refused mutation writes nothing.
 * Answered as OAuth answers `insufficient_scope` (RFC 6750 §3.1): 403, `WWW-Authenticate` naming the scope, and the
 * error FORBIDDEN with `extensions.scope`. Listed before `inputGuard`: a refusal by scope is the answer, not a
 * complaint about the variables of an operation that may not run at all.
 */
export const scopeGuard: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (!operation) return;
        try {
          assertOperationScope(contextValue.viewer, operation.operation);
        } catch (error) {
          if (!(error instanceof InsufficientScopeError)) throw error;
          const challenge = `Bearer error="insufficient_scope", scope="${error.scope}"`;
          // Typed loosely, as contextOrRefusal's: graphql-yoga's types (present for the dev IDE) declare `http.headers` a plain record.
          const extensions: Record<string, unknown> = {
            ...graphqlExtensionsOf(error),
            http: { status: ERROR_ANSWERS.FORBIDDEN.status, headers: new HeaderMap([['www-authenticate', challenge]]) },
          };
          throw new GraphQLError(error.message, { extensions });
        }
      },
    };
  },
};
