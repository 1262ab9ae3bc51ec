import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { render } from '@testing-library/react';
import type { FormattedExecutionResult } from 'graphql';
import type { ReactElement } from 'react';
import { Observable } from 'rxjs';
import { typePolicies } from '../apollo/cache';
import { AppContext, type AppContextValue } from '../app/context';
import { rightsOf } from '../app/rights';
import { LocalSession, type Session } from '../auth/session';
import type { Role } from '../graphql';
import { I18nProvider, type Locale } from '../i18n/i18n';

export interface SentOperation {
  operationName: string;
  variables: Record<string, unknown>;
}

export type Answer = FormattedExecutionResult | ((op: SentOperation) => FormattedExecutionResult | Promise<FormattedExecutionResult>);

/**
 * An Apollo client over a link that answers each operation by name and records what was sent, with
 * the app's own cache policies, so a component test runs the real documents and the real cache.
 */
export function mockClient(answers: Record<string, Answer>) {
  const sent: SentOperation[] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable((observer) => {
        const op = { operationName: operation.operationName ?? '', variables: operation.variables as Record<string, unknown> };
        sent.push(op);
        const answer = answers[op.operationName];
        if (!answer) {
          observer.error(new Error(`no mock answer for ${op.operationName}`));
          return;
        }
        Promise.resolve(typeof answer === 'function' ? answer(op) : answer).then(
          (result) => {
            observer.next(result as ApolloLink.Result);
            observer.complete();
          },
          (error: unknown) => observer.error(error),
        );
      }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache({ typePolicies }) });
  return { client, sent };
}

export const viewers = {
  coordinator: { roles: ['COORDINATOR'] as Role[], agency: null },
  funder: { roles: ['FUNDER'] as Role[], agency: null },
  viewer: { roles: ['VIEWER'] as Role[], agency: null },
  nav: { roles: ['AGENCY_EDITOR'] as Role[], agency: { id: 'nav' } },
  jd: { roles: ['AGENCY_EDITOR'] as Role[], agency: { id: 'jd' } },
  operator: { roles: ['AGENCY_EDITOR'] as Role[], agency: { id: 'demo-krisesenter-vest' } },
};

export function renderWithApp(
  ui: ReactElement,
  options: { viewer?: keyof typeof viewers; answers?: Record<string, Answer>; locale?: Locale; session?: Session } = {},
) {
  const { client, sent } = mockClient(options.answers ?? {});
  const viewer = viewers[options.viewer ?? 'viewer'];
  const context: AppContextValue = {
    config: { auth: { mode: 'local', roles: [] } },
    session: options.session ?? new LocalSession([], fetch, null),
    rights: rightsOf(viewer),
    viewer: { subject: 'test', agencyName: viewer.agency?.id ?? null },
    actAs: async () => {},
    signOut: async () => {},
    planId: 'hp-2011-2014',
  };
  const result = render(
    <I18nProvider locale={options.locale ?? 'nb'}>
      <ApolloProvider client={client}>
        <AppContext.Provider value={context}>{ui}</AppContext.Provider>
      </ApolloProvider>
    </I18nProvider>,
  );
  return { ...result, client, sent };
}

/** GraphQL errors as the API formats them. */
export function errorAnswer(message: string, extensions: Record<string, unknown>): FormattedExecutionResult {
  return { data: null, errors: [{ message, extensions }] };
}
