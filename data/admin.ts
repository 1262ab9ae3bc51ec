import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { agencyGroupName } from '../functions/agencies/groups.js';
import { createRepositories } from '../functions/app/context.js';
import type { Db } from '../functions/shared/db.js';
import { isEmailAddress, isSlug } from '../functions/shared/validate.js';

export interface AddUserResult {
  /** Whether the person was new to the pool (Cognito then e-mails them a temporary password). */
  readonly created: boolean;
  readonly group: string;
}

/**
 * Puts a person in an agency's group: `npm run admin -- add-user EMAIL --agency ID`. The agency must
 * be in the stage's directory (its group is made with it, by createAgency); a person not yet in the
 * pool is invited first (a random username: the pool signs in by e-mail alias). Adding someone who is
 * already in the group changes nothing.
 */
export async function addUserToAgency(
  db: Db,
  cognito: Pick<CognitoIdentityProviderClient, 'send'>,
  input: { readonly userPoolId: string; readonly email: string; readonly agencyId: string },
): Promise<AddUserResult> {
  if (!isEmailAddress(input.email)) throw new Error(`"${input.email}" is not an e-mail address.`);
  if (!isSlug(input.agencyId)) throw new Error(`"${input.agencyId}" is not an agency id.`);
  if (!(await createRepositories(db).agencies.agency(input.agencyId))) {
    throw new Error(`There is no agency ${input.agencyId} in this stage's directory: create it first (createAgency).`);
  }
  let created = false;
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: input.userPoolId, Username: input.email }));
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: input.userPoolId,
        Username: randomUUID(),
        UserAttributes: [
          { Name: 'email', Value: input.email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    created = true;
  }
  const group = agencyGroupName(input.agencyId);
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: input.userPoolId, Username: input.email, GroupName: group }));
  return { created, group };
}
