/**
 * What the bundles hold instead of `@apollo/usage-reporting-protobuf` (infra/bundling.ts, BUNDLE_ALIASES): the
 * server disables Apollo's usage reporting and inline traces, the only plugins that use it, so nothing reads these.
 * Each export throws on any use, so that a plugin that starts needing the real module is found at once.
 */
function unavailable(name: string): never {
  throw new Error(`@apollo/usage-reporting-protobuf (${name}) is not bundled: usage reporting and inline traces are disabled`);
}

const standIn = (name: string): unknown =>
  new Proxy(function standIn() {}, {
    get: (_target, key) => (typeof key !== 'string' || key === 'then' || key === '__esModule' ? undefined : unavailable(`${name}.${key}`)),
    apply: () => unavailable(name),
    construct: () => unavailable(name),
  });

export const Trace = standIn('Trace');
export const Report = standIn('Report');
export const ReportHeader = standIn('ReportHeader');
export const google = standIn('google');
export default { Trace, Report, ReportHeader, google };
