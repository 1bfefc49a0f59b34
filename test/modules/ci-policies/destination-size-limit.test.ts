/**
 * `PolicyDestination.sizeLimit`: each CI module's pure function checks its document's size against the
 * limit its destination gives, and `Infinity` builds a document of any size, every other check still made.
 */
import { ecrDockerPushPolicy, ecsServiceDeploymentPolicy, terraformRemoteStateS3Policy, terragruntPolicy } from '../../../modules/ci-policies';
import { type PolicyDocument, PolicyValidationError } from '../../../modules/core';
import type { PolicyDestination } from '../../../modules/core/validate-policy';

const ACCOUNT = '123456123456';
const many = (n: number, arn: (i: number) => string) => Array.from({ length: n }, (_, i) => arn(i));

// Each input makes a document over the 6,144 characters of a managed policy.
const MODULES: [string, (destination: PolicyDestination) => PolicyDocument][] = [
  ['ecrDockerPushPolicy', (d) => ecrDockerPushPolicy({ repositoryArns: many(120, (i) => `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team/service-${i}`) }, d)],
  [
    'ecsServiceDeploymentPolicy',
    (d) =>
      ecsServiceDeploymentPolicy(
        {
          serviceArns: many(60, (i) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/service-${i}`),
          taskDefinitionFamilies: many(60, (i) => `family-${i}`),
          passRoleArns: many(60, (i) => `arn:aws:iam::${ACCOUNT}:role/task-${i}`),
        },
        d,
      ),
  ],
  ['terragruntPolicy', (d) => terragruntPolicy({ stateBucketArns: many(200, (i) => `arn:aws:s3:::state-bucket-${i}`), allowBootstrap: true }, d)],
  [
    'terraformRemoteStateS3Policy',
    (d) => terraformRemoteStateS3Policy({ stateBucketArn: 'arn:aws:s3:::tg-state', canApply: many(80, (i) => `team-${i}/app/terraform.tfstate`).map((key) => ({ key, workspaces: [] })) }, d),
  ],
];

function errorOf(build: () => unknown): PolicyValidationError {
  try {
    build();
  } catch (e) {
    if (e instanceof PolicyValidationError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe.each(MODULES)('%s checks the size against its destination', (_, build) => {
  it('without sizeLimit: the limit of the kind', () => {
    const e = errorOf(() => build({ context: 'stack/ci', kind: 'managed' }));
    expect(e.findings.map((f) => [f.field, f.problem.replace(/^\d+/, 'N')])).toEqual([['(policy size)', 'N characters is over the 6144 allowed for a customer managed policy']]);
  });

  it('a sizeLimit of its own, with the fix the destination gives', () => {
    const size = JSON.stringify(build({ context: 'stack/ci', kind: 'managed', sizeLimit: Infinity })).length;
    expect(() => build({ context: 'stack/ci', kind: 'managed', sizeLimit: size })).not.toThrow();
    expect(errorOf(() => build({ context: 'stack/ci', kind: 'managed', sizeLimit: size - 1, sizeFix: 'split it' })).message).toBe(
      `stack/ci: 1 problem\n- (policy size): ${size}: ${size} characters is over the ${size - 1} allowed for a customer managed policy. Fix: split it`,
    );
  });

  it('Infinity: no size check, the same document', () => {
    const unchecked = build({ context: 'stack/ci', kind: 'managed', sizeLimit: Infinity });
    expect(JSON.stringify(unchecked).length).toBeGreaterThan(6_144);
    expect(build({ context: 'stack/ci', kind: 'identity', sizeLimit: Infinity })).toEqual(unchecked);
  });
});

describe('terraformRemoteStateS3Policy: the caller’s maxPolicySize comes before the destination’s sizeLimit', () => {
  it('is checked against maxPolicySize even when the destination checks no size', () => {
    const props = { stateBucketArn: 'arn:aws:s3:::tg-state', canApply: [{ key: 'app/terraform.tfstate' }], maxPolicySize: 100 };
    expect(errorOf(() => terraformRemoteStateS3Policy(props, { context: 'stack/ci', kind: 'managed', sizeLimit: Infinity })).findings.map((f) => f.problem)).toEqual([
      expect.stringMatching(/^\d+ characters is over the 100 allowed for a customer managed policy$/),
    ]);
  });
});
