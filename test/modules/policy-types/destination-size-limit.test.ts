// The Example Corp policies take the destination's sizeLimit, as every PolicyDestination does
// (modules/core/validate-policy.ts): a lower one is enforced, Infinity checks no size.
import type { PolicyDestination } from '../../../modules/core';
import { applicationRolePolicy, developerReadOnlyPolicy, exampleCorpBoundary } from '../../../modules/policy-types/example-corp';

const cases: [string, (destination: PolicyDestination) => unknown][] = [
  ['exampleCorpBoundary', (d) => exampleCorpBoundary({}, d)],
  ['developerReadOnlyPolicy', (d) => developerReadOnlyPolicy(d)],
  ['applicationRolePolicy', (d) => applicationRolePolicy({}, d)],
];

describe.each(cases)('%s', (name, build) => {
  it('is checked against a lower sizeLimit, and builds the same document with Infinity', () => {
    expect(() => build({ context: name, kind: 'identity', sizeLimit: 100 })).toThrow(/\(policy size\): \d+: \d+ characters is over the 100 allowed/);
    expect(build({ context: name, kind: 'identity', sizeLimit: Infinity })).toEqual(build({ context: name, kind: 'identity' }));
  });
});
