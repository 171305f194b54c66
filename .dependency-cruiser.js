/**
 * The architecture rules `npm run lint` enforces (dependency-cruiser; also
 * run by test/unit/architecture.test.ts, so `npm test` and land.sh check
 * them): data flows one way, bin/ -> chapters/ and labs/ -> core/; bin/,
 * chapters/ and labs/ reach core only through its public entry point; and
 * nothing imports in a circle.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-public-api-only',
      comment: 'bin/, chapters/ and labs/ use core only through core/index.ts, the API learners read.',
      severity: 'error',
      from: { path: '^(bin|chapters|labs)/' },
      to: { path: '^core/', pathNot: '^core/index\\.ts$' },
    },
    {
      name: 'core-needs-no-curriculum',
      comment: 'core is the engine: it knows nothing of the commands, chapters or labs built on it.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(bin|chapters|labs)/' },
    },
    {
      name: 'curriculum-needs-no-cli',
      comment: 'chapters and labs are data and narrative: rendering and commands live in bin/.',
      severity: 'error',
      from: { path: '^(chapters|labs)/' },
      to: { path: '^bin/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: each module can be read after the ones it imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
