import { policyFindings } from '../../../modules/core';
import { ECS_SERVICE_DEPLOYMENT_SIDS, ecsServiceDeploymentPolicy, type EcsServiceDeploymentProps } from '../../../modules/ci-policies/ecs-service-deployment';
import { validationErrorOf } from '../../support/errors';

const WEB = 'arn:aws:ecs:eu-west-1:123456123456:service/main/web';
const API = 'arn:aws:ecs:eu-west-1:123456123456:service/main/api';
const CLUSTER = 'arn:aws:ecs:eu-west-1:123456123456:cluster/main';
const TASK_ROLE = 'arn:aws:iam::123456123456:role/web-task';
const EXEC_ROLE = 'arn:aws:iam::123456123456:role/ecs/web-execution';

const PROPS: EcsServiceDeploymentProps = { serviceArns: [WEB], taskDefinitionFamilies: ['web'], passRoleArns: [TASK_ROLE, EXEC_ROLE] };

const errorOf = validationErrorOf;

describe('ecsServiceDeploymentPolicy', () => {
  it('renders register, describe, update and PassRole, canonically', () => {
    expect(ecsServiceDeploymentPolicy({ ...PROPS, clusterArn: CLUSTER })).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'ecs:RegisterTaskDefinition', Effect: 'Allow', Resource: 'arn:aws:ecs:eu-west-1:123456123456:task-definition/web:*', Sid: 'EcsRegisterTaskDefinition' },
        { Action: 'ecs:DescribeTaskDefinition', Effect: 'Allow', Resource: '*', Sid: 'EcsDescribeTaskDefinition' },
        {
          Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
          Condition: { ArnEquals: { 'ecs:cluster': CLUSTER } },
          Effect: 'Allow',
          Resource: WEB,
          Sid: 'EcsUpdateService',
        },
        {
          Action: 'iam:PassRole',
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          Effect: 'Allow',
          Resource: [TASK_ROLE, EXEC_ROLE],
          Sid: 'PassTaskRoles',
        },
      ],
    });
  });

  it('without clusterArn: no ecs:cluster condition', () => {
    const doc = ecsServiceDeploymentPolicy(PROPS);
    expect(doc.Statement[2]).toEqual({ Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Effect: 'Allow', Resource: WEB, Sid: 'EcsUpdateService' });
    expect(doc.Statement.map((s) => s.Sid)).toEqual([...ECS_SERVICE_DEPLOYMENT_SIDS]);
  });

  it('task definition families are granted in every region and account of the services', () => {
    const other = 'arn:aws:ecs:us-east-1:210987654321:service/edge/web';
    const doc = ecsServiceDeploymentPolicy({ ...PROPS, serviceArns: [WEB, API, other], taskDefinitionFamilies: ['web', 'api'] });
    expect(doc.Statement[0].Resource).toEqual([
      'arn:aws:ecs:us-east-1:210987654321:task-definition/web:*',
      'arn:aws:ecs:us-east-1:210987654321:task-definition/api:*',
      'arn:aws:ecs:eu-west-1:123456123456:task-definition/web:*',
      'arn:aws:ecs:eu-west-1:123456123456:task-definition/api:*',
    ]);
    expect(doc.Statement[2].Resource).toEqual([other, WEB, API]);
  });

  it('the same text whatever the order of the inputs', () => {
    const a = ecsServiceDeploymentPolicy({ serviceArns: [WEB, API], taskDefinitionFamilies: ['web', 'api'], passRoleArns: [TASK_ROLE, EXEC_ROLE] });
    const b = ecsServiceDeploymentPolicy({ serviceArns: [API, WEB], taskDefinitionFamilies: ['api', 'web'], passRoleArns: [EXEC_ROLE, TASK_ROLE] });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('grants nothing that creates or deletes a service', () => {
    const actions = ecsServiceDeploymentPolicy(PROPS).Statement.flatMap((s) => s.Action as string | string[]);
    for (const forbidden of ['ecs:CreateService', 'ecs:DeleteService', 'ecs:DeregisterTaskDefinition', 'ecs:*']) expect(actions).not.toContain(forbidden);
  });

  it('passes the core validation with nothing acknowledged', () => {
    for (const props of [PROPS, { ...PROPS, clusterArn: CLUSTER }]) {
      const doc = ecsServiceDeploymentPolicy(props);
      expect(policyFindings(doc, { kind: 'identity' })).toEqual([]);
      expect(policyFindings(doc, { kind: 'managed' })).toEqual([]);
    }
  });

  it('the ecs:cluster condition is only on the statement whose actions accept it (the core rejects it elsewhere)', () => {
    const doc = ecsServiceDeploymentPolicy({ ...PROPS, clusterArn: CLUSTER });
    const moved = { ...doc, Statement: doc.Statement.map((s, i) => (i === 1 ? { ...s, Condition: { ArnEquals: { 'ecs:cluster': CLUSTER } } } : s)) };
    expect(policyFindings(moved, { kind: 'identity' })).toEqual([
      expect.objectContaining({ field: 'Statement[1].Condition.ArnEquals.ecs:cluster', problem: expect.stringMatching(/no action in this statement supports ecs:cluster/) }),
    ]);
  });

  it('uses the destination given', () => {
    expect(errorOf(() => ecsServiceDeploymentPolicy({ ...PROPS, serviceArns: [] }, { context: 'stack/ecs', kind: 'managed' })).context).toBe('stack/ecs');
  });
});

describe('ecsServiceDeploymentPolicy: bad input names the field, the value and the fix', () => {
  const fails = (props: Partial<EcsServiceDeploymentProps>) => errorOf(() => ecsServiceDeploymentPolicy({ ...PROPS, ...props }));

  it('an empty service list', () => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, serviceArns: [] })).toThrow(
      "ecsServiceDeploymentPolicy: 1 problem\n- serviceArns: []: the list is empty, so the policy would grant nothing on any ECS service. Fix: name at least one, e.g. ['arn:aws:ecs:eu-west-1:123456123456:service/main/web']",
    );
  });

  it('an empty role list', () => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, passRoleArns: [] })).toThrow(
      "- passRoleArns: []: the list is empty, so the policy would grant nothing on any IAM role. Fix: name at least one, e.g. ['arn:aws:iam::123456123456:role/web-task']",
    );
  });

  it('an empty family list', () => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, taskDefinitionFamilies: [] })).toThrow(
      "- taskDefinitionFamilies: []: the list is empty, so no task definition could be registered. Fix: name the families the deployment registers revisions of, e.g. ['web']",
    );
  });

  it.each([
    ['a cluster ARN', CLUSTER],
    ['an ECR repository', 'arn:aws:ecr:eu-west-1:123456123456:repository/web'],
    ['a service name', 'web'],
  ])('not an ECS service ARN: %s', (_, arn) => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, serviceArns: [arn] })).toThrow(
      `ecsServiceDeploymentPolicy: 1 problem\n- serviceArns[0]: ${JSON.stringify(arn)}: not an ECS service ARN. Fix: write it like arn:aws:ecs:eu-west-1:123456123456:service/main/web`,
    );
  });

  it('the short (old) service ARN format: says to use the long one', () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456123456:service/web';
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, serviceArns: [arn] })).toThrow(
      `- serviceArns[0]: "${arn}": not an ECS service ARN: it is in the short format, service/<service>. Fix: use the long format service/<cluster>/<service> (the account must have opted in to it), e.g. arn:aws:ecs:eu-west-1:123456123456:service/main/web`,
    );
  });

  it.each([
    ['serviceArns', 'arn:aws:ecs:eu-west-1:123456123456:service//web'],
    ['serviceArns', 'arn:aws:ecs:eu-west-1:123456123456:service/main/'],
    ['passRoleArns', 'arn:aws:iam::123456123456:role/'],
    ['passRoleArns', 'arn:aws:iam::123456123456:role/ci//web'],
  ] as const)('an empty name in %s: %s', (field, arn) => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, [field]: [arn] })).toThrow(`- ${field}[0]: "${arn}": has an empty name or path segment, so it names no `);
  });

  it('a service ARN with more than cluster/service', () => {
    expect(fails({ serviceArns: ['arn:aws:ecs:eu-west-1:123456123456:service/main/web/extra'] }).findings).toEqual([
      expect.objectContaining({ field: 'serviceArns[0]', problem: 'a service ARN is service/<cluster>/<service>, with no other /' }),
    ]);
  });

  it.each([
    ['a user', 'arn:aws:iam::123456123456:user/ci'],
    ['an instance profile', 'arn:aws:iam::123456123456:instance-profile/web'],
    ['a role name', 'web-task'],
    ['an STS assumed-role ARN', 'arn:aws:sts::123456123456:assumed-role/web-task/session'],
  ])('not an IAM role ARN: %s', (_, arn) => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, passRoleArns: [arn] })).toThrow(
      `- passRoleArns[0]: ${JSON.stringify(arn)}: not an IAM role ARN. Fix: write it like arn:aws:iam::123456123456:role/web-task`,
    );
  });

  it.each([
    ['serviceArns', 'arn:aws:ecs:eu-west-1:123456123456:service/main/*'],
    ['serviceArns', 'arn:aws:ecs:eu-west-1:123456123456:service/*/web'],
    ['passRoleArns', 'arn:aws:iam::123456123456:role/*'],
    ['passRoleArns', 'arn:aws:iam::123456123456:role/web-?'],
    ['passRoleArns', '*'],
  ] as const)('a wildcard in %s: %s', (field, arn) => {
    expect(fails({ [field]: [arn] }).findings).toEqual([
      expect.objectContaining({ field: `${field}[0]`, value: arn, problem: expect.stringMatching(/^holds a wildcard/), fix: expect.stringMatching(/^name each/) }),
    ]);
  });

  it.each([['web-*'], ['arn:aws:ecs:eu-west-1:123456123456:task-definition/web'], ['web:3'], [''], ['x'.repeat(256)]])('not a family: %s', (family) => {
    expect(fails({ taskDefinitionFamilies: [family] }).findings).toEqual([
      expect.objectContaining({ field: 'taskDefinitionFamilies[0]', value: family, fix: "write the family's name alone, e.g. 'web' (not an ARN, no revision)" }),
    ]);
  });

  it.each([
    ['a service ARN', WEB],
    ['an EKS cluster', 'arn:aws:eks:eu-west-1:123456123456:cluster/main'],
    ['a cluster name', 'main'],
  ])('a clusterArn that is not an ECS cluster ARN: %s', (_, arn) => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, clusterArn: arn })).toThrow(
      `ecsServiceDeploymentPolicy: 1 problem\n- clusterArn: ${JSON.stringify(arn)}: not an ECS cluster ARN. Fix: write it like arn:aws:ecs:eu-west-1:123456123456:cluster/main`,
    );
  });

  it('a wildcard in clusterArn', () => {
    expect(fails({ clusterArn: 'arn:aws:ecs:eu-west-1:123456123456:cluster/*' }).findings).toEqual([
      expect.objectContaining({ field: 'clusterArn', problem: expect.stringMatching(/^holds a wildcard/) }),
    ]);
  });

  it.each([
    ['another cluster', 'arn:aws:ecs:eu-west-1:123456123456:service/other/web', 'arn:aws:ecs:eu-west-1:123456123456:cluster/other'],
    ['another region', 'arn:aws:ecs:us-east-1:123456123456:service/main/web', 'arn:aws:ecs:us-east-1:123456123456:cluster/main'],
    ['another account', 'arn:aws:ecs:eu-west-1:210987654321:service/main/web', 'arn:aws:ecs:eu-west-1:210987654321:cluster/main'],
  ])('a service in %s than clusterArn', (_, service, itsCluster) => {
    expect(() => ecsServiceDeploymentPolicy({ ...PROPS, serviceArns: [WEB, service], clusterArn: CLUSTER })).toThrow(
      `ecsServiceDeploymentPolicy: 1 problem\n- serviceArns[1]: ${JSON.stringify(service)}: is a service of ${itsCluster}, not of clusterArn ${CLUSTER}, so the ecs:cluster condition would deny it. Fix: list only services of clusterArn, or leave clusterArn out`,
    );
  });

  it('duplicates', () => {
    expect(fails({ serviceArns: [WEB, WEB], taskDefinitionFamilies: ['web', 'web'], passRoleArns: [TASK_ROLE, TASK_ROLE] }).findings.map((f) => f.field)).toEqual([
      'serviceArns[1]',
      'taskDefinitionFamilies[1]',
      'passRoleArns[1]',
    ]);
  });
});
