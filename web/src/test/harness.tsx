import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { render } from '@testing-library/react';
import type { FormattedExecutionResult } from 'graphql';
import type { ReactElement } from 'react';
import { Observable } from 'rxjs';
import { typePolicies } from '../apollo/cache';
import { LocalSession, type Session } from '../auth/session';
import type { Role } from '../graphql';
import { I18nProvider, type Locale } from '../i18n/i18n';
import { AppContext, type AppContextValue, type AppViewer } from '../session/context';

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

/**
 * The test viewers as the API's AppViewer answers for them: who each is and what it may do that belongs to no
 * one object (what it may do with an object, each fixture answers with the object's `viewerCan…` fields).
 */
const none = { canEditPlans: false, canManageAgencies: false, canReadAudit: false, canRegisterShelter: false, canCreateBudgetLine: false };
const agency = (id: string): AppViewer => ({
  subject: 'test',
  roles: ['AGENCY_EDITOR'] as Role[],
  agencyId: id,
  agencyName: id,
  ...none,
  canReadAudit: true,
  canRegisterShelter: true,
  canCreateBudgetLine: true,
});
export const viewers = {
  coordinator: {
    subject: 'test',
    roles: ['COORDINATOR'] as Role[],
    agencyId: null,
    agencyName: null,
    canEditPlans: true,
    canManageAgencies: true,
    canReadAudit: true,
    canRegisterShelter: false,
    canCreateBudgetLine: true,
  },
  funder: { subject: 'test', roles: ['FUNDER'] as Role[], agencyId: null, agencyName: null, ...none },
  viewer: { subject: 'test', roles: ['VIEWER'] as Role[], agencyId: null, agencyName: null, ...none },
  nav: agency('nav'),
  jd: agency('jd'),
  operator: agency('demo-krisesenter-vest'),
} satisfies Record<string, AppViewer>;

export function renderWithApp(
  ui: ReactElement,
  options: { viewer?: keyof typeof viewers; answers?: Record<string, Answer>; locale?: Locale; session?: Session } = {},
) {
  const { client, sent } = mockClient(options.answers ?? {});
  const viewer = viewers[options.viewer ?? 'viewer'];
  const context: AppContextValue = {
    config: { auth: { mode: 'local', roles: [] } },
    session: options.session ?? new LocalSession([], fetch, null),
    viewer,
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
