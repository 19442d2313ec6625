/**
 * Module dependency rules: imports flow downwards only (see docs/ARCHITECTURE.md).
 * Each entry: a module and the modules it may import. Node built-ins and npm packages are free.
 */
const allowed = {
  domain: [],
  config: ['domain'],
  referential: ['domain'],
  storage: ['domain'],
  vault: ['domain'],
  audit: ['domain', 'storage'],
  detect: ['domain', 'storage'],
  access: ['domain', 'storage', 'vault', 'config'],
  disclosure: ['domain', 'storage', 'vault', 'access', 'audit', 'detect'],
  respond: ['domain', 'storage', 'vault', 'audit'],
  services: ['domain', 'referential', 'storage', 'vault', 'access', 'disclosure', 'audit', 'detect'],
  sim: ['domain', 'referential', 'storage', 'vault', 'services', 'access', 'disclosure', 'config', 'http', 'detect'],
  http: [
    'domain',
    'referential',
    'storage',
    'vault',
    'access',
    'disclosure',
    'audit',
    'detect',
    'respond',
    'services',
    'config',
  ],
  cli: [
    'domain',
    'referential',
    'storage',
    'vault',
    'access',
    'disclosure',
    'audit',
    'detect',
    'respond',
    'services',
    'config',
    'http',
    'sim',
  ],
  'test-support': [
    'domain',
    'referential',
    'storage',
    'vault',
    'access',
    'disclosure',
    'audit',
    'detect',
    'respond',
    'services',
    'config',
    'http',
    'sim',
  ],
};

const modules = Object.keys(allowed);
const forbidden = modules.map((from) => {
  const others = modules.filter((m) => m !== from && !allowed[from].includes(m));
  return {
    name: `${from}-imports-downwards-only`,
    comment: `src/${from} may import only: ${allowed[from].join(', ') || 'nothing'}`,
    severity: 'error',
    from: { path: `^src/${from}/`, pathNot: '\\.test\\.ts$' },
    to: { path: others.length ? `^src/(${others.join('|')})/` : '^$' },
  };
});

forbidden.push(
  {
    name: 'only-the-gate-decrypts',
    comment: 'Decryption of personal fields (vault/open) is reachable from disclosure/ and respond/ only.',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/(disclosure|respond|vault)/|\\.test\\.ts$' },
    to: { path: '^src/vault/open\\.ts$' },
  },
  {
    name: 'vault-internals-stay-inside',
    comment: 'Raw AES-GCM and data-key unwrapping (vault/internal) are for the vault itself only.',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/vault/' },
    to: { path: '^src/vault/internal/' },
  },
  {
    name: 'no-circular',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-test-support-in-production',
    severity: 'error',
    from: { path: '^src/', pathNot: '\\.test\\.ts$|^src/test-support/' },
    to: { path: '^src/test-support/' },
  },
  {
    name: 'not-to-unresolvable',
    comment: 'pdfkit resolves through its exports map only, and @types/pdfkit declares it as an ambient module.',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true, pathNot: '^pdfkit$' },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
