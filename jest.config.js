// Tests run through SWC: transpile only, no type-check (`npm test` runs `tsc --noEmit` first for that).
const { cpus } = require('os');

/** @type {import('jest').Config} */
module.exports = {
  // At least two workers, even on two cores (Jest's default there is one): test/consumers spends minutes
  // waiting on npm installs, not on the CPU, and the other tests go on beside it.
  maxWorkers: Math.max(2, cpus().length - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testSequencer: '<rootDir>/test/support/sequencer.js',
};
