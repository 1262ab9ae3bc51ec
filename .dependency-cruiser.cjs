/**
 * The floors of functions/ (docs/architecture.md), checked by `npm run lint:deps` in CI. From the bottom up:
 *
 *   kernel     functions/shared/        imports no other folder of functions/
 *   domains    audit < plans < agencies < shelters < funding   each imports the kernel and lower domains only
 *   app        functions/app/           the composition root: imports the kernel and the domains
 *   entries    graphql, exports, events, reminders, rotation   import downward, never each other
 *
 * Beside them: infra/ imports the table declarations and nothing else of functions/; functions/ never imports
 * aws-cdk-lib; web/ imports only the client package. No folder depends on itself through another (no folder cycle).
 */
const DOMAINS = ['audit', 'plans', 'agencies', 'shelters', 'funding'];
const ENTRIES = ['graphql', 'exports', 'events', 'reminders', 'rotation'];
const folders = (names) => `^functions/(${names.join('|')})/`;

/** A domain may import the domains below it: each gets a rule naming everything above it. */
const domainRules = DOMAINS.map((domain, i) => ({
  name: `domain-${domain}-imports-downward`,
  comment: `${domain} is a domain: it imports the kernel and the domains below it (${DOMAINS.slice(0, i).join(', ') || 'none'}) only.`,
  severity: 'error',
  from: { path: `^functions/${domain}/` },
  to: { path: folders([...DOMAINS.slice(i + 1), 'app', ...ENTRIES]) },
}));

module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-no-domain',
      comment: 'functions/shared/ is the kernel: it imports no other folder of functions/.',
      severity: 'error',
      from: { path: '^functions/shared/' },
      to: { path: '^functions/', pathNot: '^functions/shared/' },
    },
    ...domainRules,
    {
      name: 'app-imports-no-entry',
      comment: 'functions/app/ (the composition root) sits below the entry layers.',
      severity: 'error',
      from: { path: '^functions/app/' },
      to: { path: folders(ENTRIES) },
    },
    {
      name: 'entries-never-import-each-other',
      comment: 'Entry layers call domain functions, never another entry layer.',
      severity: 'error',
      from: { path: folders(ENTRIES) },
      to: { path: folders(ENTRIES), pathNot: '^functions/$1/' },
    },
    {
      name: 'no-folder-cycle',
      comment: 'No folder depends on itself through another.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(functions|infra|local|data|scripts|client|bench|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'functions-never-import-cdk',
      comment: 'The Lambda code never imports aws-cdk-lib or constructs.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: 'node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
    {
      name: 'infra-imports-only-table-declarations',
      comment: 'infra/ builds tables from their declarations and imports nothing else of functions/.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^functions/', pathNot: '^functions/shared/(tables|table)\\.ts$' },
    },
    {
      name: 'web-imports-only-the-client-package',
      comment: 'web/ talks to the platform through the client package only.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^(functions|infra|local|data|scripts|schema)/' },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)generated/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
