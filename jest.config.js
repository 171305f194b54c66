/**
 * Two projects: `unit` (test/unit: no root, no kernel features, runs anywhere)
 * and `system` (test/system: real containers, needs root; fails without it).
 * Tests run against the TypeScript sources; the CLI tests run the built bin/run.js.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
};
module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'], testMatch: ['**/*.test.ts'] },
    { ...shared, displayName: 'system', roots: ['<rootDir>/test/system'], testMatch: ['**/*.test.ts'], globalTeardown: '<rootDir>/test/support/prune-network.js' },
  ],
};
