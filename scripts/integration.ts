import { parseArgs } from 'node:util';

/**
 * Machine clients of the client-credentials grant (docs/integrations.md#machine-access):
 *
 *   npm run --silent integration -- create NAME (--role funder|viewer|coordinator | --agency ID) [--scopes read,write,publish-documents] [--url http://localhost:4000]
 *     locally: a client of the local issuer and its entry in the running platform's registry; prints
 *     CLIENT_ID=… and CLIENT_SECRET=… (the secret only this once), lines a shell can `eval`.
 *   npm run --silent integration -- credentials NAME --stage NAME [--user-pool-id ID]
 *     in a deployed stage: the id and secret of the app client the stack made for the stage settings' integration
 *     NAME (register it with registerIntegration as a person of the coordinating ministry), with the AWS SDK's own
 *     credentials and region.
 */
const USAGE =
  'Usage:\n' +
  '  npm run --silent integration -- create NAME (--role funder|viewer|coordinator | --agency ID) [--scopes read,write,publish-documents] [--url URL]\n' +
  '  npm run --silent integration -- credentials NAME --stage NAME [--user-pool-id ID]   (USER_POOL_ID works too)\n';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    agency: { type: 'string' },
    scopes: { type: 'string', default: 'read' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 4000}` },
    stage: { type: 'string' },
    'user-pool-id': { type: 'string' },
  },
});
const [command, name] = positionals;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const SCOPES: Record<string, 'READ' | 'WRITE' | 'PUBLISH_DOCUMENTS'> = {
  read: 'READ',
  write: 'WRITE',
  'publish-documents': 'PUBLISH_DOCUMENTS',
};
const ROLES: Record<string, 'FUNDER' | 'VIEWER' | 'COORDINATOR'> = { funder: 'FUNDER', viewer: 'VIEWER', coordinator: 'COORDINATOR' };

try {
  if (command === 'create' && name) {
    if (Boolean(values.role) === Boolean(values.agency)) fail(`Give --role or --agency, one of them.\n${USAGE}`, 2);
    const role = values.role ? ROLES[values.role] : undefined;
    if (values.role && !role) fail(`Unknown role "${values.role}": use funder, viewer or coordinator (or --agency ID).`, 2);
    const scopes = (values.scopes ?? '')
      .split(',')
      .map((s) => SCOPES[s.trim()] ?? fail(`Unknown scope "${s}": use read, write, publish-documents.`, 2));
    const [{ loadOrCreateKeys }, { LocalClients }, { createLocalIntegration }, { CLIENTS_FILE, DATA_DIR }] = await Promise.all([
      import('../local/auth.js'),
      import('../local/clients.js'),
      import('../local/integrations.js'),
      import('../local/paths.js'),
    ]);
    const created = await createLocalIntegration(values.url ?? '', await loadOrCreateKeys(DATA_DIR), new LocalClients(CLIENTS_FILE), {
      name,
      ...(role ? { role } : { agencyId: values.agency }),
      scopes,
    });
    process.stdout.write(`CLIENT_ID=${created.clientId}\nCLIENT_SECRET=${created.secret}\n`);
    process.stderr.write(`Registered "${name}". The secret is shown this once; tokens: POST ${values.url}/oauth2/token\n`);
  } else if (command === 'credentials' && name) {
    const userPoolId = values['user-pool-id'] ?? process.env.USER_POOL_ID;
    if (!values.stage || !userPoolId) fail(`credentials needs --stage and --user-pool-id (the stack output UserPoolId).\n${USAGE}`, 2);
    const [{ CognitoIdentityProviderClient }, { integrationCredentials }] = await Promise.all([
      import('@aws-sdk/client-cognito-identity-provider'),
      import('../data/integrations.js'),
    ]);
    const found = await integrationCredentials(new CognitoIdentityProviderClient({}), { userPoolId, stage: values.stage, name });
    process.stdout.write(`CLIENT_ID=${found.clientId}\nCLIENT_SECRET=${found.clientSecret}\n`);
    process.stderr.write(`Scopes it may ask for: ${found.scopes.join(' ')}\n`);
  } else {
    fail(USAGE, 2);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
