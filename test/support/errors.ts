import { PolicyValidationError } from '../../modules/core';

/** The PolicyValidationError `fn` throws; any other outcome fails the test. */
export function validationErrorOf(fn: () => unknown): PolicyValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyValidationError) return e;
    throw e;
  }
  throw new Error('expected a PolicyValidationError');
}
