// A funder's analysis job (docs/integrations.md#machine-access): a token by the OAuth 2.0 client-credentials grant,
// then the plan's funding summary, written to stdout as CSV. Node.js 20 or later; no packages.
//
//   CLIENT_ID=… CLIENT_SECRET=… node docs/examples/funder-job.mjs
//
// SAMORDNING_URL is the platform (default http://localhost:4000, what `npm start` serves); TOKEN_URL the token
// endpoint (default $SAMORDNING_URL/oauth2/token; in the cloud the stack output TokenEndpoint).
const base = process.env.SAMORDNING_URL ?? 'http://localhost:4000';
const tokenUrl = process.env.TOKEN_URL ?? `${base}/oauth2/token`;
const { CLIENT_ID: clientId, CLIENT_SECRET: clientSecret } = process.env;
if (!clientId || !clientSecret) throw new Error('Set CLIENT_ID and CLIENT_SECRET.');

// One token serves every request for an hour: ask again only when it expires (each request for one costs).
const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
const tokenResponse = await fetch(tokenUrl, {
  method: 'POST',
  headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'samordning/read' }),
});
if (!tokenResponse.ok) throw new Error(`Token endpoint: ${tokenResponse.status} ${await tokenResponse.text()}`);
const { access_token: token } = await tokenResponse.json();

// The platform's own FundingSummary operation, so that it runs where only trusted documents are accepted.
const query = `query FundingSummary($planId: ID!, $fiscalYear: Int, $groupBy: FundingGroupBy!) {
  fundingSummary(planId: $planId, fiscalYear: $fiscalYear, groupBy: $groupBy) { key label fiscalYear allocated disbursed }
}`;
const response = await fetch(`${base}/graphql`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables: { planId: process.env.PLAN_ID ?? 'hp-2011-2014', groupBy: 'AGENCY' } }),
});
const { data, errors } = await response.json();
if (errors) throw new Error(`GraphQL: ${response.status} ${JSON.stringify(errors)}`);

const cell = (value) => (value === null ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value));
console.log('key,label,fiscalYear,allocated,disbursed');
for (const row of data.fundingSummary) console.log([row.key, row.label, row.fiscalYear, row.allocated, row.disbursed].map(cell).join(','));
