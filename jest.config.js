/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsc compiles in place: prefer the .ts source over a possibly stale .js next to it.
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  // tsc type-checks the whole project in `npm run build`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  // Code loaded from a synthesized asset outside the project (the Provider framework in harness/in-process-
  // provider.ts) requires the AWS SDK the Lambda runtime provides: resolve it from the project's packages.
  modulePaths: ['<rootDir>/node_modules'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/reporters/totals-reporter.cjs'],
};
