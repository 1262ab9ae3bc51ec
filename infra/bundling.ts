/**
 * How the API's Lambda functions are bundled, in plain values: `cdk synth` (infra/graphql-function.ts, `apiBundling`)
 * and `npm run bench` (bench/bundle.ts) read them from here, so that the benchmark measures the bundle that deploys.
 * No aws-cdk-lib here: the benchmark has no need to load it.
 */

/**
 * An ESM bundle has no `require`, but some CommonJS dependencies call it for Node built-ins
 * (`node:diagnostics_channel`); without this shim the function crashes at import.
 */
export const REQUIRE_SHIM_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** esbuild's target for the NODEJS_24_X runtime. */
export const LAMBDA_TARGET = 'node24';

/**
 * Left out of every function's bundle: the Cognito client, used only when `createAgency` makes an agency's sign-in
 * group (functions/agencies/groups.ts imports it dynamically, on first use). Bundled, its ~136 KiB would be compiled by
 * every cold start; external, the first `createAgency` of a container loads the copy of the AWS SDK v3 that the
 * Lambda Node.js runtime carries. Everything else of the SDK stays bundled at the pinned version.
 */
export const LAZY_EXTERNAL_MODULES = ['@aws-sdk/client-cognito-identity-provider'] as const;

/**
 * Modules replaced by a stand-in, by path from the project root. `@apollo/usage-reporting-protobuf` (~210 KiB
 * minified) is the wire format of Apollo's hosted usage reporting and of federated inline traces; Apollo Server
 * imports it only from those two plugins, and only loads them (a dynamic import) when they are not disabled. The
 * server disables both (functions/graphql/server.ts): it reports to no Apollo service and is no subgraph. The
 * stand-in throws if anything ever touches it, so a change that needs the real module fails loudly in the tests.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@apollo/usage-reporting-protobuf': './functions/graphql/no-usage-reporting.ts',
};
