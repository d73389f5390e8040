/** The vote engine of the débat stage: pure functions, no I/O, no clock (time comes in as `now`). */
export * from './methods.ts';
export * from './schemas.ts';
export * from './ballot.ts';
export * from './majority-judgment.ts';
export * from './tally.ts';
export * from './lifecycle.ts';
export * from './ballot-box.ts';
export { sha256Hex } from './sha256.ts';
