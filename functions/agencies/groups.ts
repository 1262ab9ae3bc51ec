/**
 * Where an agency's sign-in group lives. In the cloud, creating an agency creates its Cognito group
 * `agency:<id>` in the stage's own user pool (USER_POOL_ID; the function may create and read groups in
 * that one pool only). Locally there is no pool: the local issuer signs whatever group a role names.
 */
export interface GroupDirectory {
  /** Makes sure the group `agency:<id>` exists; creating one that exists is not an error. */
  ensureAgencyGroup(agencyId: string, description: string): Promise<void>;
}

export const agencyGroupName = (agencyId: string) => `agency:${agencyId}`;

/** Cognito's group directory for the pool `userPoolId`; the client is loaded on first use only. */
export function cognitoGroups(userPoolId: string): GroupDirectory {
  let client: Promise<import('@aws-sdk/client-cognito-identity-provider').CognitoIdentityProviderClient> | undefined;
  return {
    async ensureAgencyGroup(agencyId, description) {
      const sdk = await import('@aws-sdk/client-cognito-identity-provider');
      client ??= Promise.resolve(new sdk.CognitoIdentityProviderClient({}));
      try {
        await (await client).send(
          new sdk.CreateGroupCommand({
            UserPoolId: userPoolId,
            GroupName: agencyGroupName(agencyId),
            Description: description.slice(0, 2048),
          }),
        );
      } catch (error) {
        if (error instanceof sdk.GroupExistsException) return;
        throw error;
      }
    },
  };
}

/** Locally (and in tests): groups need no directory, since the local issuer puts any role's group in its tokens. */
export const localGroups: GroupDirectory = { ensureAgencyGroup: async () => undefined };

/**
 * The directory a stage uses: its user pool when USER_POOL_ID names one; else, on this machine (a
 * local run, or a development stage), the local issuer's, which needs none.
 */
export function groupDirectory(userPoolId: string | undefined, stage: string, withoutPool: boolean): GroupDirectory {
  if (userPoolId) return cognitoGroups(userPoolId);
  if (withoutPool) return localGroups;
  // A deployed production stage without its pool would create agencies nobody can sign in for.
  return {
    ensureAgencyGroup: async () => {
      throw new Error(`Stage ${stage} has no USER_POOL_ID: agencies cannot get sign-in groups.`);
    },
  };
}
