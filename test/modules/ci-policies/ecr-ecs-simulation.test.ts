// What the policies allow and deny, decided by @cloud-copilot/iam-simulate (test/support/simulator.ts).
import { ecrDockerPushPolicy } from '../../../modules/ci-policies/ecr-docker-push';
import { ecsServiceDeploymentPolicy } from '../../../modules/ci-policies/ecs-service-deployment';
import { isAllowed, SIMULATED_ACCOUNT, type SimulatedRequest } from '../../support/simulator';

const REGION = 'eu-west-1';
const repo = (name: string) => `arn:aws:ecr:${REGION}:${SIMULATED_ACCOUNT}:repository/${name}`;
const service = (cluster: string, name: string) => `arn:aws:ecs:${REGION}:${SIMULATED_ACCOUNT}:service/${cluster}/${name}`;
const cluster = (name: string) => `arn:aws:ecs:${REGION}:${SIMULATED_ACCOUNT}:cluster/${name}`;
const role = (name: string) => `arn:aws:iam::${SIMULATED_ACCOUNT}:role/${name}`;
const taskDefinition = (family: string, revision: number) => `arn:aws:ecs:${REGION}:${SIMULATED_ACCOUNT}:task-definition/${family}:${revision}`;

const request = (action: string, resource: string, context: SimulatedRequest['context'] = {}): SimulatedRequest => ({ action, resource, context });

describe('ecrDockerPushPolicy, simulated', () => {
  const policy = ecrDockerPushPolicy({ repositoryArns: [repo('web'), repo('team/api')] });
  const PUSH_AND_LOOK_UP = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:DescribeImages', 'ecr:BatchGetImage'];

  it('allows ecr:GetAuthorizationToken on *', async () => {
    expect(await isAllowed(policy, request('ecr:GetAuthorizationToken', '*'))).toBe(true);
  });

  it.each(PUSH_AND_LOOK_UP.flatMap((action) => [repo('web'), repo('team/api')].map((arn) => [action, arn])))('allows %s on %s', async (action, arn) => {
    expect(await isAllowed(policy, request(action, arn))).toBe(true);
  });

  it.each(PUSH_AND_LOOK_UP.flatMap((action) => [repo('other'), repo('web-old'), repo('team/api/x'), `arn:aws:ecr:us-east-1:${SIMULATED_ACCOUNT}:repository/web`].map((arn) => [action, arn])))(
    'denies %s on another repository: %s',
    async (action, arn) => {
      expect(await isAllowed(policy, request(action, arn))).toBe(false);
    },
  );

  it.each(['ecr:CreateRepository', 'ecr:DeleteRepository', 'ecr:BatchDeleteImage', 'ecr:SetRepositoryPolicy', 'ecr:PutLifecyclePolicy', 'ecr:GetDownloadUrlForLayer'])(
    'denies %s on a named repository',
    async (action) => {
      expect(await isAllowed(policy, request(action, repo('web')))).toBe(false);
    },
  );

  it.each([
    ['s3:GetObject', 'arn:aws:s3:::bucket/key'],
    ['ecs:UpdateService', service('main', 'web')],
    ['ecr-public:GetAuthorizationToken', '*'],
  ])("denies another service's action: %s", async (action, resource) => {
    expect(await isAllowed(policy, request(action, resource))).toBe(false);
  });
});

describe('ecsServiceDeploymentPolicy, simulated', () => {
  const policy = ecsServiceDeploymentPolicy({
    serviceArns: [service('main', 'web'), service('main', 'api')],
    taskDefinitionFamilies: ['web', 'api'],
    passRoleArns: [role('web-task'), role('ecs/web-execution')],
    clusterArn: cluster('main'),
  });
  const inMain = { 'ecs:cluster': cluster('main') };

  it.each([taskDefinition('web', 1), taskDefinition('web', 42), taskDefinition('api', 7)])('allows ecs:RegisterTaskDefinition of %s', async (arn) => {
    expect(await isAllowed(policy, request('ecs:RegisterTaskDefinition', arn))).toBe(true);
  });

  it.each([taskDefinition('worker', 1), taskDefinition('web-old', 1), `arn:aws:ecs:us-east-1:${SIMULATED_ACCOUNT}:task-definition/web:1`])(
    'denies ecs:RegisterTaskDefinition of another family or region: %s',
    async (arn) => {
      expect(await isAllowed(policy, request('ecs:RegisterTaskDefinition', arn))).toBe(false);
    },
  );

  it('allows ecs:DescribeTaskDefinition on *', async () => {
    expect(await isAllowed(policy, request('ecs:DescribeTaskDefinition', '*'))).toBe(true);
  });

  it.each([
    ['ecs:UpdateService', service('main', 'web')],
    ['ecs:UpdateService', service('main', 'api')],
    ['ecs:DescribeServices', service('main', 'web')],
  ])('allows %s on %s in the named cluster', async (action, arn) => {
    expect(await isAllowed(policy, request(action, arn, inMain))).toBe(true);
  });

  it.each([
    ['another service', service('main', 'worker'), inMain],
    ['a service of the same name in another cluster', service('other', 'web'), { 'ecs:cluster': cluster('other') }],
    ['a named service with another cluster in the request', service('main', 'web'), { 'ecs:cluster': cluster('other') }],
  ])('denies ecs:UpdateService on %s', async (_, arn, context) => {
    expect(await isAllowed(policy, request('ecs:UpdateService', arn, context))).toBe(false);
  });

  it.each([role('web-task'), role('ecs/web-execution')])('allows iam:PassRole of %s to ecs-tasks.amazonaws.com', async (arn) => {
    expect(await isAllowed(policy, request('iam:PassRole', arn, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }))).toBe(true);
  });

  it.each([
    ['another role', role('admin'), 'ecs-tasks.amazonaws.com'],
    ['a role of the same name on another path', role('other/web-task'), 'ecs-tasks.amazonaws.com'],
    ['a named role to Lambda', role('web-task'), 'lambda.amazonaws.com'],
    ['a named role to EC2', role('web-task'), 'ec2.amazonaws.com'],
  ])('denies iam:PassRole of %s', async (_, arn, to) => {
    expect(await isAllowed(policy, request('iam:PassRole', arn, { 'iam:PassedToService': to }))).toBe(false);
  });

  it.each([
    ['ecs:CreateService', service('main', 'web'), inMain],
    ['ecs:CreateService', service('main', 'new'), inMain],
    ['ecs:DeleteService', service('main', 'web'), inMain],
    ['ecs:DeregisterTaskDefinition', '*', {}],
    ['ecs:RunTask', taskDefinition('web', 1), inMain],
    ['ecs:DeleteCluster', cluster('main'), {}],
    ['ecr:PutImage', `arn:aws:ecr:${REGION}:${SIMULATED_ACCOUNT}:repository/web`, {}],
    ['iam:CreateRole', role('web-task'), {}],
    ['lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${SIMULATED_ACCOUNT}:function:web`, {}],
  ])('denies %s on %s', async (action, arn, context) => {
    expect(await isAllowed(policy, request(action, arn, context))).toBe(false);
  });

  it('without clusterArn: the named services are allowed by ARN alone', async () => {
    const open = ecsServiceDeploymentPolicy({ serviceArns: [service('main', 'web')], taskDefinitionFamilies: ['web'], passRoleArns: [role('web-task')] });
    expect(await isAllowed(open, request('ecs:UpdateService', service('main', 'web'), inMain))).toBe(true);
    expect(await isAllowed(open, request('ecs:UpdateService', service('other', 'web'), { 'ecs:cluster': cluster('other') }))).toBe(false);
  });
});
