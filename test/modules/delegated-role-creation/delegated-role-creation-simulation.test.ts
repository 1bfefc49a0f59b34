// What the pipeline policy allows and denies, decided by @cloud-copilot/iam-simulate. The pipeline role
// itself has no boundary in the seed (Policy 2 is "attached to IAM roles created by the CI/CD pipeline");
// the roles it creates do, which the last block simulates.
import { delegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE, exampleCorpPipelinePolicy } from '../../../modules/delegated-role-creation/delegated-role-creation';
import { decide, type Decision } from './simulate';
import seedBoundary from '../../fixtures/delegated-role-creation/seed-permissions-boundary.json';

const ACCOUNT = EXAMPLE_CORP_PIPELINE.account;
const PIPELINE = `arn:aws:iam::${ACCOUNT}:role/CICDPipelineRole`;
const BOUNDARY = EXAMPLE_CORP_PIPELINE.permissionsBoundaryArn;
const OTHER_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/AdminBoundary`;
const role = (pathAndName: string) => `arn:aws:iam::${ACCOUNT}:role/${pathAndName}`;
const policyArn = (pathAndName: string) => `arn:aws:iam::${ACCOUNT}:policy/${pathAndName}`;
const APP_ROLE = role('application-roles/ApplicationRole');
const ADMIN_ROLE = role('Admin');
const APP_POLICY = policyArn('application-role-policies/ApplicationRolePolicy');
const withBoundary = (arn = BOUNDARY) => ({ 'iam:PermissionsBoundary': arn });

// Both the module's own policy and the seed's whole Policy 4 (with the deployment statements): the
// escalation guards must hold in each.
describe.each([
  ['delegatedRoleCreationPolicy', delegatedRoleCreationPolicy(EXAMPLE_CORP_PIPELINE)],
  ['exampleCorpPipelinePolicy', exampleCorpPipelinePolicy()],
])('%s, simulated', (_, policy) => {
  const as = (action: string, resource: string, context: Record<string, string | string[]> = {}) => decide(policy, { principal: PIPELINE, action, resource, context });

  describe('allows', () => {
    it.each([
      ['iam:CreateRole under the path with the boundary', 'iam:CreateRole', APP_ROLE, withBoundary()],
      ['iam:PutRolePermissionsBoundary setting the boundary', 'iam:PutRolePermissionsBoundary', APP_ROLE, withBoundary()],
      ['iam:PutRolePolicy on a bounded role under the path', 'iam:PutRolePolicy', APP_ROLE, withBoundary()],
      ['iam:UpdateAssumeRolePolicy on a bounded role under the path', 'iam:UpdateAssumeRolePolicy', APP_ROLE, withBoundary()],
      ['iam:AttachRolePolicy of a policy under the policy path', 'iam:AttachRolePolicy', APP_ROLE, { ...withBoundary(), 'iam:PolicyARN': APP_POLICY }],
      ['iam:CreatePolicy under the policy path', 'iam:CreatePolicy', APP_POLICY, {}],
      ['iam:CreatePolicyVersion under the policy path', 'iam:CreatePolicyVersion', APP_POLICY, {}],
      ['iam:CreateInstanceProfile under its path', 'iam:CreateInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/application-instance-profiles/app`, {}],
      ['iam:PassRole of a role under the path to EC2', 'iam:PassRole', APP_ROLE, { 'iam:PassedToService': 'ec2.amazonaws.com' }],
      [
        'iam:CreateServiceLinkedRole for Auto Scaling',
        'iam:CreateServiceLinkedRole',
        role('aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'),
        { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' },
      ],
      [
        'iam:PassRole of the Auto Scaling service-linked role to Auto Scaling',
        'iam:PassRole',
        role('aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'),
        { 'iam:PassedToService': 'autoscaling.amazonaws.com' },
      ],
      ['iam:DeleteRole under the path', 'iam:DeleteRole', APP_ROLE, withBoundary()],
    ])('%s', async (_, action, resource, context) => {
      expect(await as(action, resource, context)).toBe('Allowed');
    });
  });

  describe('denies each escalation', () => {
    it.each<[string, string, string, Record<string, string>, Decision?]>([
      ['iam:CreateRole without a boundary', 'iam:CreateRole', APP_ROLE, {}],
      ['iam:CreateRole with another boundary', 'iam:CreateRole', APP_ROLE, withBoundary(OTHER_BOUNDARY)],
      ['iam:CreateRole outside the path, even with the boundary', 'iam:CreateRole', role('Escalated'), withBoundary()],
      ['iam:CreateRole under a path that only starts like it', 'iam:CreateRole', role('application-roles-admin/X'), withBoundary()],
      ['iam:PutRolePermissionsBoundary to another boundary', 'iam:PutRolePermissionsBoundary', APP_ROLE, withBoundary(OTHER_BOUNDARY)],
      ['iam:PutRolePolicy on a role outside the path', 'iam:PutRolePolicy', ADMIN_ROLE, withBoundary()],
      ['iam:PutRolePolicy on a role under the path without the boundary', 'iam:PutRolePolicy', APP_ROLE, {}],
      ['iam:AttachRolePolicy on a role outside the path', 'iam:AttachRolePolicy', ADMIN_ROLE, { ...withBoundary(), 'iam:PolicyARN': APP_POLICY }],
      ['iam:AttachRolePolicy of a policy outside the policy path', 'iam:AttachRolePolicy', APP_ROLE, { ...withBoundary(), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      ['iam:AttachRolePolicy of the boundary policy path sibling', 'iam:AttachRolePolicy', APP_ROLE, { ...withBoundary(), 'iam:PolicyARN': policyArn('OtherPolicy') }],
      ['iam:UpdateAssumeRolePolicy on a role outside the path', 'iam:UpdateAssumeRolePolicy', ADMIN_ROLE, withBoundary()],
      ['iam:UpdateAssumeRolePolicy on an unbounded role under the path', 'iam:UpdateAssumeRolePolicy', APP_ROLE, {}],
      ['iam:PassRole of a role outside the path', 'iam:PassRole', ADMIN_ROLE, { 'iam:PassedToService': 'ec2.amazonaws.com' }],
      ['iam:PassRole of a role under the path to a service not named', 'iam:PassRole', APP_ROLE, { 'iam:PassedToService': 'lambda.amazonaws.com' }],
      ['iam:CreatePolicy outside the policy path', 'iam:CreatePolicy', policyArn('Escalated'), {}],
      ['iam:CreatePolicyVersion on the boundary policy', 'iam:CreatePolicyVersion', BOUNDARY, {}, 'ExplicitlyDenied'],
      ['iam:SetDefaultPolicyVersion on the boundary policy', 'iam:SetDefaultPolicyVersion', BOUNDARY, {}, 'ExplicitlyDenied'],
      ['iam:DeletePolicyVersion on the boundary policy', 'iam:DeletePolicyVersion', BOUNDARY, {}, 'ExplicitlyDenied'],
      ['iam:DeletePolicy on the boundary policy', 'iam:DeletePolicy', BOUNDARY, {}, 'ExplicitlyDenied'],
      ['iam:DeleteRolePermissionsBoundary on a role under the path', 'iam:DeleteRolePermissionsBoundary', APP_ROLE, withBoundary(), 'ExplicitlyDenied'],
      ['iam:DeleteRolePermissionsBoundary on any other role', 'iam:DeleteRolePermissionsBoundary', ADMIN_ROLE, withBoundary(OTHER_BOUNDARY), 'ExplicitlyDenied'],
      [
        'iam:CreateServiceLinkedRole for another service',
        'iam:CreateServiceLinkedRole',
        role('aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing'),
        { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
      ],
      [
        'iam:CreateServiceLinkedRole naming another service on the Auto Scaling path',
        'iam:CreateServiceLinkedRole',
        role('aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'),
        { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
      ],
      ['iam:CreateUser', 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`, {}],
      ['iam:CreateAccessKey', 'iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/admin`, {}],
      ['iam:AttachUserPolicy', 'iam:AttachUserPolicy', `arn:aws:iam::${ACCOUNT}:user/admin`, { 'iam:PolicyARN': APP_POLICY }],
      ['iam:UpdateRole on a role outside the path', 'iam:UpdateRole', ADMIN_ROLE, {}],
    ])('%s', async (_, action, resource, context, expected = 'ImplicitlyDenied') => {
      expect(await as(action, resource, context)).toBe(expected);
    });
  });

  // Escalation by creating or modifying, then passing or assuming: the step that would reach a more
  // privileged role is denied, and the role the pipeline can reach is bounded.
  describe('escalation paths of create-or-modify, then pass-or-assume', () => {
    it('create an unbounded role under the path, then pass it: the create is denied', async () => {
      expect(await as('iam:CreateRole', APP_ROLE, {})).toBe('ImplicitlyDenied');
    });
    it('put an instance profile round an admin role, then launch with it: passing the admin role is denied', async () => {
      expect(await as('iam:AddRoleToInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/application-instance-profiles/app`)).toBe('Allowed');
      expect(await as('iam:PassRole', ADMIN_ROLE, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe('ImplicitlyDenied');
    });
    it('rewrite the trust policy of an admin role to trust the pipeline, then assume it: the rewrite is denied', async () => {
      expect(await as('iam:UpdateAssumeRolePolicy', ADMIN_ROLE, withBoundary(OTHER_BOUNDARY))).toBe('ImplicitlyDenied');
    });
    it('widen the boundary, then use a bounded role: every change to the boundary policy is denied', async () => {
      for (const action of ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion']) {
        expect(await as(action, BOUNDARY)).toBe('ExplicitlyDenied');
      }
    });
    it('remove the boundary of its own role, then pass it: the removal is denied', async () => {
      expect(await as('iam:DeleteRolePermissionsBoundary', APP_ROLE, withBoundary())).toBe('ExplicitlyDenied');
    });
    it('swap the boundary of its own role for a wider one, then pass it: the swap is denied', async () => {
      expect(await as('iam:PutRolePermissionsBoundary', APP_ROLE, withBoundary(OTHER_BOUNDARY))).toBe('ImplicitlyDenied');
    });
    it('attach AdministratorAccess to a role outside the path, then pass it: both are denied', async () => {
      expect(await as('iam:AttachRolePolicy', ADMIN_ROLE, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' })).toBe('ImplicitlyDenied');
      expect(await as('iam:PassRole', ADMIN_ROLE, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe('ImplicitlyDenied');
    });
    it('a bounded role the pipeline created, even granted more (s3:CreateBucket, iam:CreateRole), gets only what the boundary allows', async () => {
      const wide = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:CreateBucket', 'iam:CreateRole'], Resource: '*' }] };
      const asApp = (action: string, resource: string) => decide(wide, { principal: APP_ROLE, action, resource, boundary: seedBoundary });
      expect(await asApp('s3:GetObject', 'arn:aws:s3:::bucket/key')).toBe('Allowed');
      expect(await asApp('s3:CreateBucket', 'arn:aws:s3:::new-bucket')).toBe('ImplicitlyDenied');
      expect(await asApp('iam:CreateRole', ADMIN_ROLE)).toBe('ImplicitlyDenied');
    });
  });
});
