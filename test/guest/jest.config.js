/**
 * `npm run test:guest`: the host side. globalSetup builds the qemu guest (or
 * takes it from the cache), boots it and lets it run test/guest/cases inside
 * (a cgroup v2-only host with dm-thin-pool); guest.test.ts then turns the
 * guest's jest results into one host test per guest test.
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  roots: ['<rootDir>/test/guest'],
  testMatch: ['**/test/guest/guest.test.ts'],
  globalSetup: '<rootDir>/test/guest/global-setup.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
