/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsc compiles in place: prefer the .ts source over a possibly stale .js next to it.
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  // tsc type-checks the whole project in `npm run build`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/reporters/totals-reporter.cjs'],
};
