import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { nb } from '../i18n/nb';
import { toApiProblem } from './errors';

const graphQLError = (message: string, extensions: Record<string, unknown>) =>
  new CombinedGraphQLErrors({ data: null, errors: [{ message, extensions }] });

describe('errors from the API', () => {
  it('puts BAD_USER_INPUT at the field it names', () => {
    const problem = toApiProblem(graphQLError('summary must not be empty.', { code: 'BAD_USER_INPUT', field: 'summary' }));
    expect(problem).toMatchObject({ kind: 'field', fields: { summary: 'summary must not be empty.' } });
  });

  it('reads a CONFLICT with the current version', () => {
    const problem = toApiProblem(
      graphQLError('The measure has changed', { code: 'CONFLICT', field: 'expectedVersion', currentVersion: 7 }),
    );
    expect(problem).toMatchObject({ kind: 'conflict', currentVersion: 7, fields: {} });
  });

  it('keeps the correlation id of an internal error', () => {
    const problem = toApiProblem(graphQLError('Internal server error', { code: 'INTERNAL_SERVER_ERROR', correlationId: 'abc-123' }));
    expect(problem).toMatchObject({ kind: 'server', correlationId: 'abc-123' });
  });

  it('tells a refused right, an expired session and an outage apart', () => {
    expect(toApiProblem(graphQLError('Forbidden', { code: 'FORBIDDEN' })).kind).toBe('forbidden');
    const response = new Response('{}', { status: 401 });
    expect(toApiProblem(new ServerError('401', { response, bodyText: '{"message":"Unauthorized"}' })).kind).toBe('unauthenticated');
    expect(toApiProblem(new TypeError('Failed to fetch')).kind).toBe('network');
  });

  it('reads an answer refused as too large (HTTP 400 with RESPONSE_TOO_LARGE) as its own kind, with a sentence in each language', () => {
    const body = JSON.stringify({
      errors: [{ message: 'The response is larger than 1048576 bytes', extensions: { code: 'RESPONSE_TOO_LARGE' } }],
    });
    const response = new Response(body, { status: 400 });
    expect(toApiProblem(new ServerError('400', { response, bodyText: body })).kind).toBe('tooLarge');
    expect(nb.errors.tooLarge).toMatch(/for stort/);
    expect(en.errors.tooLarge).toMatch(/too large/);
  });
});
