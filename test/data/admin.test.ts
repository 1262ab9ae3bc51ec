import { UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUserToAgency } from '../../data/admin.js';
import { loadSeed } from '../../data/load-seed.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

/** Cognito as far as the script speaks to it: the commands sent, and a pool that knows the people in `known`. */
function pool(known: readonly string[]) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (command.constructor.name === 'AdminGetUserCommand' && !known.includes(String(command.input.Username))) {
        throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
      }
      return {};
    },
  };
  return { client: client as never, sent };
}

describe('npm run admin -- add-user', () => {
  it('invites a person new to the pool, then puts them in the agency group', async () => {
    const { client, sent } = pool([]);
    const result = await addUserToAgency(env.db(), client, { userPoolId: 'eu-north-1_x', email: 'ny@nav.no', agencyId: 'nav' });
    expect(result).toEqual({ created: true, group: 'agency:nav' });
    expect(sent.map((c) => c.name)).toEqual(['AdminGetUserCommand', 'AdminCreateUserCommand', 'AdminAddUserToGroupCommand']);
    expect(sent[1]?.input.UserAttributes).toEqual([
      { Name: 'email', Value: 'ny@nav.no' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(sent[2]?.input).toEqual({ UserPoolId: 'eu-north-1_x', Username: 'ny@nav.no', GroupName: 'agency:nav' });
  });

  it('puts someone already in the pool in the group without inviting them again', async () => {
    const { client, sent } = pool(['kjent@bymisjon.no']);
    const result = await addUserToAgency(env.db(), client, { userPoolId: 'p', email: 'kjent@bymisjon.no', agencyId: 'kirkens-bymisjon' });
    expect(result).toEqual({ created: false, group: 'agency:kirkens-bymisjon' });
    expect(sent.map((c) => c.name)).toEqual(['AdminGetUserCommand', 'AdminAddUserToGroupCommand']);
  });

  it.each([
    ['an agency not in the directory', { email: 'a@b.no', agencyId: 'finnes-ikke' }, /no agency finnes-ikke/],
    ['an agency id that is not one', { email: 'a@b.no', agencyId: 'Agency:X' }, /not an agency id/],
    ['an address that is not one', { email: 'a at b.no', agencyId: 'nav' }, /not an e-mail address/],
  ])('refuses %s before it asks Cognito anything', async (_what, input, message) => {
    const { client, sent } = pool([]);
    await expect(addUserToAgency(env.db(), client, { userPoolId: 'p', ...input })).rejects.toThrow(message);
    expect(sent).toEqual([]);
  });
});
