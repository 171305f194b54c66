/**
 * Inside the guest (run by test/guest/global-setup.js, never on the host):
 * kit's tests against a real cgroup v2-only kernel with dm-thin-pool. Node is
 * ~19x slower under emulation, so TypeScript is only transpiled
 * (test/tsconfig.json's isolatedModules) and the timeouts are long.
 */
module.exports = {
  rootDir: '../../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  roots: ['<rootDir>/test/guest/cases'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 300000,
  reporters: ['default', '<rootDir>/test/guest/cases/progress-reporter.js'],
};
