import { describe, expect, it } from 'vitest';
import { parseGroupsClaim, viewerFromClaims } from '../../functions/shared/viewer.js';

describe('the groups claim, in the forms API Gateway passes it', () => {
  it.each([
    ['API Gateway flattened string', '[coordinator agency:nav]', ['coordinator', 'agency:nav']],
    ['real array', ['coordinator', 'agency:nav'], ['coordinator', 'agency:nav']],
    ['single group', 'funder', ['funder']],
    ['single group in brackets', '[funder]', ['funder']],
    ['empty brackets', '[]', []],
    ['empty array', [], []],
    ['a federated group beside a platform group', '[eu-north-1_AbCdEf_Google viewer]', ['eu-north-1_AbCdEf_Google', 'viewer']],
    ['a name with a letter beyond ASCII', '[søkere viewer]', ['søkere', 'viewer']],
  ])('accepts %s', (_name, claim, expected) => {
    expect(parseGroupsClaim(claim)).toEqual(expected);
  });

  it.each([
    // A group named "coordinator", quotes and all, as API Gateway flattens it: JSON would read it as coordinator.
    ['a quoted name, flattened', '["coordinator"]'],
    ['a quoted name beside a real one', '[viewer "coordinator"]'],
    ['a quoted name in a real array', ['"coordinator"']],
    ['a JSON array string', '["coordinator","agency:nav"]'],
    ['a JSON array string with a space', '["viewer", "coordinator"]'],
    ['a comma inside a name', '[x,coordinator viewer]'],
    ['a comma list', 'viewer,coordinator'],
    ['a bracket inside a name', '[viewer [coordinator]]'],
    ['an unclosed bracket', '[coordinator'],
    ['a closing bracket only', 'coordinator]'],
    ['a brace', '[{"coordinator":1}]'],
    ['a backslash', '[\\"coordinator\\"]'],
    ['a slash', '[agency:../x viewer]'],
    ['white space around the brackets', ' [coordinator] '],
    ['a tab as separator', '[viewer\tcoordinator]'],
    ['an empty string', ''],
    ['a non-string in an array', ['coordinator', 1]],
    ['a number', 42],
    ['an object', { 0: 'coordinator' }],
    ['missing', undefined],
  ])('rejects %s: no groups at all', (_name, claim) => {
    expect(parseGroupsClaim(claim)).toEqual([]);
  });

  it('makes no coordinator of a group named "coordinator" with its quotes, in any form', () => {
    for (const claim of ['["coordinator"]', '[viewer "coordinator"]', ['"coordinator"'], "['coordinator']", '"coordinator"']) {
      expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': claim })?.roles, JSON.stringify(claim)).toEqual([]);
    }
  });
});

describe('the viewer', () => {
  it('comes from sub and cognito:groups only', () => {
    expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': '[agency:nav viewer]' })).toEqual({
      subject: 'u1',
      roles: ['AGENCY_EDITOR', 'VIEWER'],
      agencyId: 'nav',
    });
  });

  it('ignores custom attributes and other claims that name an agency or a role', () => {
    const viewer = viewerFromClaims({
      sub: 'u1',
      'cognito:groups': '[viewer]',
      'custom:agency': 'nav',
      agency: 'nav',
      'custom:groups': '[coordinator]',
      scope: 'coordinator agency:nav',
    });
    expect(viewer).toEqual({ subject: 'u1', roles: ['VIEWER'], agencyId: null });
  });

  it('grants no agency when a token names two: which one it acts for would be a guess', () => {
    expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': '[agency:nav agency:jd]' })).toEqual({
      subject: 'u1',
      roles: [],
      agencyId: null,
    });
  });

  it('ignores unknown groups and malformed agency groups', () => {
    expect(viewerFromClaims({ sub: 'u1', 'cognito:groups': '[admin agency: agency:NAV agency:../x]' })).toEqual({
      subject: 'u1',
      roles: [],
      agencyId: null,
    });
  });

  it('is null without a subject', () => {
    expect(viewerFromClaims({ 'cognito:groups': '[coordinator]' })).toBeNull();
    expect(viewerFromClaims(undefined)).toBeNull();
  });
});
