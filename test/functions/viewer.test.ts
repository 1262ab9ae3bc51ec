import { describe, expect, it } from 'vitest';
import { parseGroupsClaim, viewerFromClaims } from '../../functions/shared/viewer.js';

describe('the groups claim, in every form API Gateway passes it', () => {
  it.each([
    ['API Gateway flattened string', '[coordinator agency:nav]', ['coordinator', 'agency:nav']],
    ['JSON array string', '["coordinator","agency:nav"]', ['coordinator', 'agency:nav']],
    ['real array', ['coordinator', 'agency:nav'], ['coordinator', 'agency:nav']],
    ['single group', 'funder', ['funder']],
    ['single group in brackets', '[funder]', ['funder']],
    ['empty brackets', '[]', []],
    ['a comma is no separator', '[x,coordinator viewer]', ['x,coordinator', 'viewer']],
    ['missing', undefined, []],
    ['a number', 42, []],
  ])('%s', (_name, claim, expected) => {
    expect(parseGroupsClaim(claim)).toEqual(expected);
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
