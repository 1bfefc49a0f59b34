// The pure policies take the destination's sizeLimit, as every PolicyDestination does
// (modules/core/validate-policy.ts): a lower one is enforced, Infinity checks no size.
import { delegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE, exampleCorpPipelinePolicy } from '../../../modules/delegated-role-creation/delegated-role-creation';
import type { PolicyDestination } from '../../../modules/core';

const cases: [string, (destination: PolicyDestination) => unknown][] = [
  ['delegatedRoleCreationPolicy', (d) => delegatedRoleCreationPolicy(EXAMPLE_CORP_PIPELINE, d)],
  ['exampleCorpPipelinePolicy', (d) => exampleCorpPipelinePolicy({}, d)],
];

describe.each(cases)('%s', (name, build) => {
  it('is checked against a lower sizeLimit, and builds the same document with Infinity', () => {
    expect(() => build({ context: name, kind: 'identity', sizeLimit: 100 })).toThrow(/\(policy size\): \d+: \d+ characters is over the 100 allowed/);
    expect(build({ context: name, kind: 'identity', sizeLimit: Infinity })).toEqual(build({ context: name, kind: 'identity' }));
  });
});
