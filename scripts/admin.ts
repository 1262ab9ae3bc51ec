import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { addUserToAgency } from '../data/admin.js';
import { selectScriptTables } from '../local/environment.js';

/**
 * npm run admin -- add-user EMAIL --agency ID --stage NAME [--user-pool-id ID]
 * Puts a person in an agency's sign-in group of a deployed stage, inviting them to the user pool
 * first when they are new. The pool is the stage's output `UserPoolId` (or USER_POOL_ID); the
 * agency must be in the stage's directory. Runs with the AWS SDK's own credentials and region.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { agency: { type: 'string' }, stage: { type: 'string' }, 'user-pool-id': { type: 'string' } },
});
const [command, email] = positionals;
const userPoolId = values['user-pool-id'] ?? process.env.USER_POOL_ID;
if (command !== 'add-user' || !email || !values.agency || !values.stage || !userPoolId) {
  process.stderr.write(
    'Usage: npm run admin -- add-user EMAIL --agency ID --stage NAME [--user-pool-id ID]\n' +
      '(the pool id is the stack output UserPoolId; USER_POOL_ID works too)\n',
  );
  process.exit(2);
}
try {
  selectScriptTables(values.stage);
  // This script writes no capacity report, so the stage's perturbation key is not needed: any key will do.
  process.env.PERTURBATION_KEY ??= randomBytes(32).toString('base64url');
  const [{ documentClient }, { scriptDb }, { CognitoIdentityProviderClient }] = await Promise.all([
    import('../functions/shared/dynamo.js'),
    import('../local/environment.js'),
    import('@aws-sdk/client-cognito-identity-provider'),
  ]);
  const result = await addUserToAgency(scriptDb(documentClient), new CognitoIdentityProviderClient({}), {
    userPoolId,
    email,
    agencyId: values.agency,
  });
  process.stdout.write(`${email} is in ${result.group}${result.created ? ' (invited to the pool by e-mail)' : ''}.\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
